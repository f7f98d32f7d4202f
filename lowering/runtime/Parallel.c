/*===- Parallel.c - the thread pool behind dnnf's parallel loops ----------===
 *
 * Code from --dnnf-cpu-pipeline{threads=N} (N > 1) calls
 *
 *   void dnnf_parallel_for(int64_t n, void (*task)(void *, int64_t), void *ctx)
 *
 * for each parallel loop: task(ctx, i) for every i in [0, n), spread over a
 * pool of threads; it returns when all are done.  The calling thread takes
 * part.  Workers spin for a while (DNNF_SPIN_US, default 2000 us) after
 * their last task before they sleep, so that the many short loops of one
 * model call do not each pay for waking threads up (measured here: about
 * 45 us per loop with MLIR's async runtime, whose workers sleep at once).
 *
 * The pool has DNNF_NUM_THREADS threads including the caller (default: the
 * cores this process may run on).  Calls from several threads at once are
 * serialized; a call from inside a task runs its loop inline.
 *
 *===----------------------------------------------------------------------===*/

#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

typedef void (*dnnf_task_fn)(void *, int64_t);

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_mutex_t callers = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t sleep_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static int num_threads = 1;
static int64_t spin_ns = 2000000;

/* The current loop; `generation` changes when a new one starts.  Every
   worker acknowledges every loop (`acks`) once it has left it, and the
   caller waits for all of them before it returns: no worker can still be
   reading a loop when the next one is published. */
static dnnf_task_fn job_fn;
static void *job_ctx;
static int64_t job_n;
static _Atomic int64_t next_index;
static _Atomic int acks;
static _Atomic uint64_t generation;
static _Atomic int sleepers;
static _Thread_local int in_task;

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

/* Runs tasks of the current loop until none is left. */
static void work(dnnf_task_fn fn, void *ctx, int64_t n) {
  int64_t i;
  while ((i = atomic_fetch_add(&next_index, 1)) < n)
    fn(ctx, i);
}

static void *worker(void *arg) {
  (void)arg;
  in_task = 1;
  uint64_t seen = 0; /* no loop was published before the pool started */
  for (;;) {
    /* Spin, then sleep, until a new loop starts. */
    int64_t start = now_ns();
    uint64_t g;
    for (unsigned k = 1;; ++k) {
      g = atomic_load_explicit(&generation, memory_order_acquire);
      if (g != seen)
        break;
      cpu_relax();
      if ((k & 1023) == 0 && now_ns() - start > spin_ns) {
        pthread_mutex_lock(&sleep_lock);
        atomic_fetch_add(&sleepers, 1);
        while ((g = atomic_load(&generation)) == seen)
          pthread_cond_wait(&wake, &sleep_lock);
        atomic_fetch_sub(&sleepers, 1);
        pthread_mutex_unlock(&sleep_lock);
        break;
      }
    }
    seen = g;
    work(job_fn, job_ctx, job_n);
    atomic_fetch_add_explicit(&acks, 1, memory_order_release);
  }
  return NULL;
}

static int default_threads(void) {
  const char *env = getenv("DNNF_NUM_THREADS");
  if (env && atoi(env) > 0)
    return atoi(env);
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
    return CPU_COUNT(&set);
  return 1;
}

static void start_pool(void) {
  num_threads = default_threads();
  const char *spin = getenv("DNNF_SPIN_US");
  if (spin)
    spin_ns = (int64_t)atoll(spin) * 1000;
  for (int t = 1; t < num_threads; ++t) {
    pthread_t thread;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&thread, &attr, worker, NULL) != 0) {
      num_threads = t;
      pthread_attr_destroy(&attr);
      break;
    }
    pthread_attr_destroy(&attr);
  }
}

/* The number of threads of the pool, the caller included. */
int64_t dnnf_num_threads(void) {
  pthread_once(&once, start_pool);
  return num_threads;
}

void dnnf_parallel_for(int64_t n, dnnf_task_fn fn, void *ctx) {
  if (n <= 0)
    return;
  pthread_once(&once, start_pool);
  if (n == 1 || num_threads == 1 || in_task) {
    for (int64_t i = 0; i < n; ++i)
      fn(ctx, i);
    return;
  }
  pthread_mutex_lock(&callers);
  job_fn = fn;
  job_ctx = ctx;
  job_n = n;
  atomic_store(&acks, 0);
  atomic_store(&next_index, 0);
  atomic_fetch_add_explicit(&generation, 1, memory_order_release);
  if (atomic_load(&sleepers) > 0) {
    pthread_mutex_lock(&sleep_lock);
    pthread_cond_broadcast(&wake);
    pthread_mutex_unlock(&sleep_lock);
  }
  in_task = 1;
  work(fn, ctx, n);
  in_task = 0;
  while (atomic_load_explicit(&acks, memory_order_acquire) < num_threads - 1)
    cpu_relax();
  pthread_mutex_unlock(&callers);
}
