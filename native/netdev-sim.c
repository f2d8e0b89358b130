/*
 * netdev-sim's native helper for the stand-in QEMU (src/node/native.ts).
 *
 * What Node cannot do and QEMU does:
 * - listen with QEMU's backlog and accept only when QEMU would: Node's
 *   libuv accepts every pending connection as soon as it can, so the
 *   kernel's queue never fills and never refuses anyone. Here the
 *   listening socket is ours; a poll thread reports it readable (once per
 *   arming) through a thread-safe function, and JavaScript accepts one
 *   connection when it wants one, handing the fd to net.Socket.
 * - lock the pid file with fcntl(F_SETLK), as qemu_write_pidfile() does;
 * - learn who sent SIGTERM/SIGINT (si_pid), for QEMU's
 *   "terminating on signal 15 from pid N (NAME)";
 * - ask for a signal when the parent dies (prctl PR_SET_PDEATHSIG), so the
 *   stand-in does not outlive an `npm exec` shell that was killed.
 *
 * Only Node-API (node_api.h from the node-api-headers package) is used, so
 * one build works with any Node from 18 on. Built by scripts/build-native.mjs.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <node_api.h>

#define CHECK(call)                                                   \
  do {                                                                \
    if ((call) != napi_ok) {                                          \
      napi_throw_error(env, NULL, "netdev-sim native: " #call);       \
      return NULL;                                                    \
    }                                                                 \
  } while (0)

/* ---- small helpers ------------------------------------------------------ */

static napi_value make_int(napi_env env, int64_t v) {
  napi_value out;
  napi_create_int64(env, v, &out);
  return out;
}

static int get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < want) {
    napi_throw_type_error(env, NULL, "netdev-sim native: missing arguments");
    return -1;
  }
  return 0;
}

static int get_int(napi_env env, napi_value v, int32_t *out) {
  if (napi_get_value_int32(env, v, out) != napi_ok) {
    napi_throw_type_error(env, NULL, "netdev-sim native: expected a number");
    return -1;
  }
  return 0;
}

/* { fd } on success, { stage, errno } on failure. */
static napi_value listen_result(napi_env env, int fd, const char *stage, int err) {
  napi_value out;
  napi_create_object(env, &out);
  if (stage == NULL) {
    napi_set_named_property(env, out, "fd", make_int(env, fd));
  } else {
    napi_value s;
    napi_create_string_utf8(env, stage, NAPI_AUTO_LENGTH, &s);
    napi_set_named_property(env, out, "stage", s);
    napi_set_named_property(env, out, "errno", make_int(env, err));
  }
  return out;
}

/* ---- listening sockets -------------------------------------------------- */

/*
 * listenUnix(sunPath: Uint8Array, backlog): binds the exact bytes of
 * sun_path (a filesystem path with its NUL, or an abstract name with its
 * leading NUL and, when not tight, its padding).
 */
static napi_value listen_unix(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  if (get_args(env, info, 2, argv) < 0) return NULL;
  void *data;
  size_t len;
  napi_typedarray_type type;
  napi_value ab;
  size_t offset;
  CHECK(napi_get_typedarray_info(env, argv[0], &type, &len, &data, &ab, &offset));
  int32_t backlog;
  if (get_int(env, argv[1], &backlog) < 0) return NULL;
  struct sockaddr_un un;
  if (len > sizeof un.sun_path) return listen_result(env, -1, "bind", ENAMETOOLONG);
  memset(&un, 0, sizeof un);
  un.sun_family = AF_UNIX;
  memcpy(un.sun_path, data, len);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return listen_result(env, -1, "socket", errno);
  socklen_t alen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
  if (bind(fd, (struct sockaddr *)&un, alen) < 0) {
    int e = errno;
    close(fd);
    return listen_result(env, -1, "bind", e);
  }
  if (listen(fd, backlog) < 0) {
    int e = errno;
    close(fd);
    return listen_result(env, -1, "listen", e);
  }
  return listen_result(env, fd, NULL, 0);
}

/* listenInet(numericHost, port, backlog, v6only): SO_REUSEADDR as QEMU sets it. */
static napi_value listen_inet(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  if (get_args(env, info, 4, argv) < 0) return NULL;
  char host[64];
  size_t hlen;
  CHECK(napi_get_value_string_utf8(env, argv[0], host, sizeof host, &hlen));
  int32_t port, backlog;
  if (get_int(env, argv[1], &port) < 0 || get_int(env, argv[2], &backlog) < 0) return NULL;
  bool v6only;
  CHECK(napi_get_value_bool(env, argv[3], &v6only));
  struct sockaddr_storage ss;
  socklen_t alen;
  memset(&ss, 0, sizeof ss);
  int family;
  if (strchr(host, ':') != NULL) {
    struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
    family = a->sin6_family = AF_INET6;
    a->sin6_port = htons((uint16_t)port);
    if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1) return listen_result(env, -1, "socket", EINVAL);
    alen = sizeof *a;
  } else {
    struct sockaddr_in *a = (struct sockaddr_in *)&ss;
    family = a->sin_family = AF_INET;
    a->sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &a->sin_addr) != 1) return listen_result(env, -1, "socket", EINVAL);
    alen = sizeof *a;
  }
  int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return listen_result(env, -1, "socket", errno);
  int on = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (family == AF_INET6) {
    int v = v6only ? 1 : 0;
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v, sizeof v);
  }
  if (bind(fd, (struct sockaddr *)&ss, alen) < 0) {
    int e = errno;
    close(fd);
    return listen_result(env, -1, "bind", e);
  }
  if (listen(fd, backlog) < 0) {
    int e = errno;
    close(fd);
    return listen_result(env, -1, "listen", e);
  }
  return listen_result(env, fd, NULL, 0);
}

/* accept(fd): a non-blocking connected fd, or -errno (-EAGAIN: nobody waits). */
static napi_value accept_fd(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (get_args(env, info, 1, argv) < 0) return NULL;
  int32_t fd;
  if (get_int(env, argv[0], &fd) < 0) return NULL;
  int c;
  do {
    c = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
  } while (c < 0 && errno == EINTR);
  return make_int(env, c >= 0 ? c : -errno);
}

static napi_value close_fd(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (get_args(env, info, 1, argv) < 0) return NULL;
  int32_t fd;
  if (get_int(env, argv[0], &fd) < 0) return NULL;
  return make_int(env, close(fd) == 0 ? 0 : -errno);
}

/* ---- the poll thread ---------------------------------------------------- */

typedef struct {
  int id;
  int fd;
  int armed;
} watch_t;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static watch_t *watches;
static size_t nwatches, capwatches;
static int next_id = 1;
static int wake_pipe[2] = {-1, -1};
static pthread_t thread;
static int thread_started, quitting;
static napi_threadsafe_function tsfn;

static void wake(void) {
  char c = 1;
  ssize_t r = write(wake_pipe[1], &c, 1);
  (void)r;
}

static void *poll_thread(void *arg) {
  (void)arg;
  struct pollfd *fds = NULL;
  int *ids = NULL;
  size_t cap = 0;
  for (;;) {
    pthread_mutex_lock(&lock);
    if (quitting) {
      pthread_mutex_unlock(&lock);
      break;
    }
    if (cap < nwatches + 1) {
      cap = (nwatches + 1) * 2;
      fds = realloc(fds, cap * sizeof *fds);
      ids = realloc(ids, cap * sizeof *ids);
    }
    size_t n = 0;
    fds[n].fd = wake_pipe[0];
    fds[n].events = POLLIN;
    ids[n++] = 0;
    for (size_t i = 0; i < nwatches; i++) {
      if (!watches[i].armed) continue;
      fds[n].fd = watches[i].fd;
      fds[n].events = POLLIN;
      ids[n++] = watches[i].id;
    }
    pthread_mutex_unlock(&lock);
    int r = poll(fds, n, -1);
    if (r < 0) continue;
    if (fds[0].revents) {
      char buf[64];
      while (read(wake_pipe[0], buf, sizeof buf) > 0) {
      }
    }
    for (size_t k = 1; k < n; k++) {
      if (!fds[k].revents) continue;
      int fire = 0;
      pthread_mutex_lock(&lock);
      for (size_t i = 0; i < nwatches; i++) {
        if (watches[i].id == ids[k] && watches[i].armed) {
          watches[i].armed = 0; /* one report per arming */
          fire = 1;
        }
      }
      pthread_mutex_unlock(&lock);
      if (fire) napi_call_threadsafe_function(tsfn, (void *)(intptr_t)ids[k], napi_tsfn_nonblocking);
    }
  }
  free(fds);
  free(ids);
  return NULL;
}

static void call_js(napi_env env, napi_value js_cb, void *context, void *data) {
  (void)context;
  if (env == NULL || js_cb == NULL) return;
  napi_value undef, arg;
  napi_get_undefined(env, &undef);
  arg = make_int(env, (int64_t)(intptr_t)data);
  napi_call_function(env, undef, js_cb, 1, &arg, NULL);
}

static void stop_thread(void *arg) {
  (void)arg;
  if (!thread_started) return;
  pthread_mutex_lock(&lock);
  quitting = 1;
  pthread_mutex_unlock(&lock);
  wake();
  pthread_join(thread, NULL);
  thread_started = 0;
}

/* start(onReadable): one callback for every report; the thread starts unreferenced. */
static napi_value start(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (get_args(env, info, 1, argv) < 0) return NULL;
  if (thread_started) return make_int(env, 0);
  if (pipe2(wake_pipe, O_NONBLOCK | O_CLOEXEC) < 0) return make_int(env, -errno);
  napi_value name;
  napi_create_string_utf8(env, "netdev-sim-poll", NAPI_AUTO_LENGTH, &name);
  CHECK(napi_create_threadsafe_function(env, argv[0], NULL, name, 0, 1, NULL, NULL, NULL, call_js, &tsfn));
  CHECK(napi_unref_threadsafe_function(env, tsfn));
  if (pthread_create(&thread, NULL, poll_thread, NULL) != 0) return make_int(env, -EAGAIN);
  thread_started = 1;
  napi_add_env_cleanup_hook(env, stop_thread, NULL);
  return make_int(env, 0);
}

/* keepAlive(on): whether the watches keep Node's event loop running. */
static napi_value keep_alive(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (get_args(env, info, 1, argv) < 0) return NULL;
  bool on;
  CHECK(napi_get_value_bool(env, argv[0], &on));
  if (thread_started) {
    if (on) napi_ref_threadsafe_function(env, tsfn);
    else napi_unref_threadsafe_function(env, tsfn);
  }
  return NULL;
}

/* watch(fd): an id; the fd is reported once it is readable, after arm(id). */
static napi_value watch(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (get_args(env, info, 1, argv) < 0) return NULL;
  int32_t fd;
  if (get_int(env, argv[0], &fd) < 0) return NULL;
  pthread_mutex_lock(&lock);
  if (nwatches == capwatches) {
    capwatches = capwatches ? capwatches * 2 : 8;
    watches = realloc(watches, capwatches * sizeof *watches);
  }
  int id = next_id++;
  watches[nwatches++] = (watch_t){.id = id, .fd = fd, .armed = 0};
  pthread_mutex_unlock(&lock);
  return make_int(env, id);
}

static void set_armed(int id, int armed, int remove) {
  pthread_mutex_lock(&lock);
  for (size_t i = 0; i < nwatches; i++) {
    if (watches[i].id != id) continue;
    if (remove) watches[i] = watches[--nwatches];
    else watches[i].armed = armed;
    break;
  }
  pthread_mutex_unlock(&lock);
  wake();
}

static napi_value arm(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (get_args(env, info, 1, argv) < 0) return NULL;
  int32_t id;
  if (get_int(env, argv[0], &id) < 0) return NULL;
  set_armed(id, 1, 0);
  return NULL;
}

/* unwatch(id): before the fd is closed. */
static napi_value unwatch(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (get_args(env, info, 1, argv) < 0) return NULL;
  int32_t id;
  if (get_int(env, argv[0], &id) < 0) return NULL;
  set_armed(id, 0, 1);
  return NULL;
}

/* ---- pid file, signals, parent death ------------------------------------ */

/* lockFile(fd): a whole-file write lock, as qemu_lock_fd(); 0 or -errno. */
static napi_value lock_file(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (get_args(env, info, 1, argv) < 0) return NULL;
  int32_t fd;
  if (get_int(env, argv[0], &fd) < 0) return NULL;
  struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
  return make_int(env, fcntl(fd, F_SETLK, &fl) == 0 ? 0 : -errno);
}

static volatile sig_atomic_t sender[65];
static struct sigaction previous[65];

static void on_signal(int sig, siginfo_t *si, void *ctx) {
  if (sig > 0 && sig < 65) sender[sig] = si ? si->si_pid : 0;
  struct sigaction *old = &previous[sig];
  if (old->sa_flags & SA_SIGINFO) {
    if (old->sa_sigaction) old->sa_sigaction(sig, si, ctx);
  } else if (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN) {
    old->sa_handler(sig);
  }
}

/* watchSender(signo): remember who sends it; Node's own handler still runs. */
static napi_value watch_sender(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (get_args(env, info, 1, argv) < 0) return NULL;
  int32_t sig;
  if (get_int(env, argv[0], &sig) < 0) return NULL;
  if (sig <= 0 || sig >= 65) return make_int(env, -EINVAL);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_signal;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&sa.sa_mask);
  struct sigaction old;
  if (sigaction(sig, &sa, &old) < 0) return make_int(env, -errno);
  if (old.sa_sigaction != on_signal) previous[sig] = old;
  return make_int(env, 0);
}

static napi_value last_sender(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (get_args(env, info, 1, argv) < 0) return NULL;
  int32_t sig;
  if (get_int(env, argv[0], &sig) < 0) return NULL;
  return make_int(env, sig > 0 && sig < 65 ? sender[sig] : 0);
}

/* parentDeathSignal(signo): 0 or -errno. */
static napi_value parent_death_signal(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (get_args(env, info, 1, argv) < 0) return NULL;
  int32_t sig;
  if (get_int(env, argv[0], &sig) < 0) return NULL;
  return make_int(env, prctl(PR_SET_PDEATHSIG, sig) == 0 ? 0 : -errno);
}

/* ---- module ------------------------------------------------------------- */

NAPI_MODULE_INIT() {
  static const struct {
    const char *name;
    napi_callback fn;
  } fns[] = {
      {"listenUnix", listen_unix}, {"listenInet", listen_inet}, {"accept", accept_fd},
      {"close", close_fd},         {"start", start},            {"keepAlive", keep_alive},
      {"watch", watch},            {"arm", arm},                {"unwatch", unwatch},
      {"lockFile", lock_file},     {"watchSender", watch_sender}, {"lastSender", last_sender},
      {"parentDeathSignal", parent_death_signal},
  };
  for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    napi_value f;
    if (napi_create_function(env, fns[i].name, NAPI_AUTO_LENGTH, fns[i].fn, NULL, &f) != napi_ok) return NULL;
    if (napi_set_named_property(env, exports, fns[i].name, f) != napi_ok) return NULL;
  }
  return exports;
}
