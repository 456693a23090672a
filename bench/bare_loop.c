/* The floor for the monitor's idle sweep: the libvirt calls its node watchers
 * make with no migration running, at the same intervals, and nothing else.
 *
 *   bare_loop POLL_MS DISCOVERY_MS URI...
 *
 * One thread per URI, as the monitor has one watcher thread per node
 * (hypervisor/node_watcher.cpp), plus one thread running libvirt's default
 * event loop (hypervisor/event_loop.cpp), which answers keepalives and
 * delivers domain events.
 *
 * Matched, from hypervisor/session.cpp and hypervisor/watcher_core.cpp:
 *  - open (LibvirtSession::Open): virConnectOpen, virConnectSetKeepAlive(2, 2),
 *    virConnectRegisterCloseCallback, and virConnectDomainEventRegisterAny for
 *    LIFECYCLE, MIGRATION_ITERATION and JOB_COMPLETED;
 *  - every step (WatcherCore::Step, woken at each poll): virConnectIsAlive;
 *    the poll itself (WatcherCore::Poll) calls libvirt only for tracked
 *    outgoing migrations, and there are none;
 *  - every discoveryInterval, the sweep (WatcherCore::Sweep):
 *    virConnectListAllDomains(ACTIVE), virDomainGetUUIDString and
 *    virDomainGetName of each listed domain (ListActiveDomains); per domain
 *    virDomainGetName, virDomainGetInfo, virDomainIsPersistent (Summary) and
 *    virDomainGetJobStats(flags 0) (QueryJob: the test driver answers "not
 *    supported", whose message the monitor reads with virGetLastError); then
 *    virNodeGetMemoryStats(ALL_CELLS, NULL) (AvailableMemory: it fails on the
 *    test driver, so the second call is not made); the previous sweep's
 *    domain handles are freed when the new listing replaces them.
 * Not matched: what the monitor does with the results (inventory, metrics,
 * the controller), which is what the comparison is about.
 */
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long poll_ms, discovery_ms;

static void ignore_error(void *opaque, virErrorPtr err) { (void)opaque; (void)err; }

static int on_lifecycle(virConnectPtr c, virDomainPtr d, int event, int detail, void *opaque) {
  (void)c; (void)d; (void)event; (void)detail; (void)opaque;
  return 0;
}
static void on_iteration(virConnectPtr c, virDomainPtr d, int iteration, void *opaque) {
  (void)c; (void)d; (void)iteration; (void)opaque;
}
static void on_job_completed(virConnectPtr c, virDomainPtr d, virTypedParameterPtr p, int n, void *opaque) {
  (void)c; (void)d; (void)p; (void)n; (void)opaque;
}
static void on_close(virConnectPtr c, int reason, void *opaque) { (void)c; (void)reason; (void)opaque; }

static void *event_loop(void *arg) {
  (void)arg;
  for (;;) {
    if (virEventRunDefaultImpl() < 0) return NULL;
  }
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void sleep_until(double at_ms) {
  double left = at_ms - now_ms();
  if (left <= 0) return;
  struct timespec ts = {(time_t)(left / 1e3), (long)((left - (time_t)(left / 1e3) * 1e3) * 1e6)};
  nanosleep(&ts, NULL);
}

static __thread virDomainPtr *held;
static __thread int held_count;

static void sweep(virConnectPtr conn) {
  virDomainPtr *list = NULL;
  int n = virConnectListAllDomains(conn, &list, VIR_CONNECT_LIST_DOMAINS_ACTIVE);
  if (n < 0) {
    fprintf(stderr, "bare_loop: list: %s\n", virGetLastErrorMessage());
    return;
  }
  char uuid[VIR_UUID_STRING_BUFLEN];
  for (int i = 0; i < n; ++i) {
    virDomainGetUUIDString(list[i], uuid);
    (void)virDomainGetName(list[i]);
  }
  for (int i = 0; i < n; ++i) {
    virDomainInfo info;
    (void)virDomainGetName(list[i]);
    (void)virDomainGetInfo(list[i], &info);
    (void)virDomainIsPersistent(list[i]);
    int type = 0;
    virTypedParameterPtr params = NULL;
    int nparams = 0;
    if (virDomainGetJobStats(list[i], &type, &params, &nparams, 0) < 0) {
      virErrorPtr err = virGetLastError();
      (void)err;
    } else {
      virTypedParamsFree(params, nparams);
    }
  }
  int count = 0;
  if (virNodeGetMemoryStats(conn, VIR_NODE_MEMORY_STATS_ALL_CELLS, NULL, &count, 0) == 0 && count > 0) {
    virNodeMemoryStatsPtr stats = calloc((size_t)count, sizeof(*stats));
    virNodeGetMemoryStats(conn, VIR_NODE_MEMORY_STATS_ALL_CELLS, stats, &count, 0);
    free(stats);
  }
  for (int i = 0; i < held_count; ++i) virDomainFree(held[i]);
  free(held);
  held = list;
  held_count = n;
}

static void *watch(void *arg) {
  const char *uri = arg;
  virConnectPtr conn = virConnectOpen(uri);
  if (!conn) {
    fprintf(stderr, "bare_loop: cannot open %s: %s\n", uri, virGetLastErrorMessage());
    exit(1);
  }
  if (virConnectSetKeepAlive(conn, 2, 2) < 0) fprintf(stderr, "bare_loop: keepalive: %s\n", virGetLastErrorMessage());
  virConnectRegisterCloseCallback(conn, on_close, NULL, NULL);
  virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE, VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle),
                                   NULL, NULL);
  virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION,
                                   VIR_DOMAIN_EVENT_CALLBACK(on_iteration), NULL, NULL);
  virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_JOB_COMPLETED,
                                   VIR_DOMAIN_EVENT_CALLBACK(on_job_completed), NULL, NULL);
  sweep(conn);  /* the monitor sweeps once on connecting */
  double next_poll = now_ms() + poll_ms, next_sweep = now_ms() + discovery_ms;
  for (;;) {
    sleep_until(next_poll < next_sweep ? next_poll : next_sweep);
    if (virConnectIsAlive(conn) != 1) {
      fprintf(stderr, "bare_loop: connection to %s lost\n", uri);
      exit(1);
    }
    double now = now_ms();
    if (now >= next_poll) {
      next_poll += poll_ms;
      if (next_poll <= now) next_poll = now + poll_ms;
    }
    if (now >= next_sweep) {
      sweep(conn);
      next_sweep = now + discovery_ms;
    }
  }
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: bare_loop POLL_MS DISCOVERY_MS URI...\n");
    return 2;
  }
  poll_ms = atol(argv[1]);
  discovery_ms = atol(argv[2]);
  virSetErrorFunc(NULL, ignore_error);
  if (virEventRegisterDefaultImpl() < 0) return 1;
  pthread_t loop;
  pthread_create(&loop, NULL, event_loop, NULL);
  pthread_t *threads = calloc((size_t)(argc - 3), sizeof(pthread_t));
  for (int i = 3; i < argc; ++i) pthread_create(&threads[i - 3], NULL, watch, argv[i]);
  printf("bare_loop: watching %d node(s)\n", argc - 3);
  fflush(stdout);
  for (int i = 3; i < argc; ++i) pthread_join(threads[i - 3], NULL);
  return 0;
}
