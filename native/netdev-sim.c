/*
 * netdev-sim's native helper for the stand-in QEMU (src/node/native.ts).
 *
 * What Node cannot do and QEMU does:
 * - listen with QEMU's backlog and accept only when QEMU would: Node's
 *   libuv accepts every pending connection as soon as it can, so the
 *   kernel's queue never fills and never refuses anyone. Here the
 *   listening socket is ours; a libuv poll handle on Node's own loop
 *   reports it readable (once per arming), and JavaScript accepts one
 *   connection when it wants one, handing the fd to net.Socket.
 * - lock the pid file with fcntl(F_SETLK), as qemu_write_pidfile() does;
 * - learn who sent SIGTERM/SIGINT (si_pid), for QEMU's
 *   "terminating on signal 15 from pid N (NAME)";
 * - ask for a signal when the parent dies (prctl PR_SET_PDEATHSIG), so the
 *   stand-in does not outlive an `npm exec` shell that was killed.
 *
 * Node-API (node_api.h from the node-api-headers package) and a handful of
 * libuv 1.x functions (declared below) are used, so one build works with
 * any Node from 18 on. Built by scripts/build-native.mjs.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
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

/* ---- readiness on Node's own event loop ---------------------------------- */

/*
 * A listening socket is watched with a libuv poll handle on the loop that
 * runs JavaScript (napi_get_uv_event_loop), so its readiness wakes the
 * main thread directly: no thread and no cross-thread wake-up on the way
 * from a peer's connect() to the accept.
 *
 * uv.h is not among the Node-API headers, so the few libuv functions used
 * are declared here. libuv keeps its ABI within a major version ("Versions
 * with the same major number are ABI stable", uv/version.h) and Node has
 * shipped libuv 1.x, with its symbols exported for addons, since Node 0.12.
 * Only functions are used, never a struct's layout: a handle's size comes
 * from uv_handle_size() and its user pointer from uv_handle_get/set_data().
 * The module is linked with -z now (scripts/build-native.mjs), so a Node
 * without these symbols fails to load it and the stand-in runs without
 * its helper, saying so, instead of failing on first use; the module also
 * refuses to load under a libuv other than 1.x.
 */
typedef struct uv_loop_s uv_loop_t;
typedef struct uv_handle_s uv_handle_t;
typedef struct uv_poll_s uv_poll_t;
typedef void (*uv_poll_cb)(uv_poll_t *handle, int status, int events);
typedef void (*uv_close_cb)(uv_handle_t *handle);
extern unsigned int uv_version(void);
extern size_t uv_handle_size(int type);
extern void *uv_handle_get_data(const uv_handle_t *handle);
extern void uv_handle_set_data(uv_handle_t *handle, void *data);
extern int uv_poll_init(uv_loop_t *loop, uv_poll_t *handle, int fd);
extern int uv_poll_start(uv_poll_t *handle, int events, uv_poll_cb cb);
extern int uv_poll_stop(uv_poll_t *handle);
extern void uv_close(uv_handle_t *handle, uv_close_cb close_cb);
/* enum uv_handle_type's UV_POLL and enum uv_poll_event's UV_READABLE in libuv 1.x. */
#define NS_UV_POLL 8
#define NS_UV_READABLE 1

typedef struct watch watch_t;

/* Per Node environment (the main thread, or a worker that loads the module). */
typedef struct {
  napi_env env;
  uv_loop_t *loop;
  napi_ref on_readable;
  napi_async_context async;
  watch_t *watches;
  int next_id;
} state_t;

struct watch {
  state_t *st;
  int id;
  uv_poll_t *poll;
  /* A report is wanted; the poll handle is started. */
  int armed, active;
  watch_t *next;
};

static void free_poll(uv_handle_t *h) { free(h); }

static void report(state_t *st, int id);

static void close_watch(watch_t *w) {
  uv_close((uv_handle_t *)w->poll, free_poll);
  free(w);
}

static watch_t *find_watch(state_t *st, int id, int unlink) {
  for (watch_t **p = &st->watches; *p; p = &(*p)->next) {
    if ((*p)->id != id) continue;
    watch_t *w = *p;
    if (unlink) *p = w->next;
    return w;
  }
  return NULL;
}

/*
 * One report per arming: JavaScript hears the id, and the poll stops unless
 * it armed again meanwhile (it accepts and re-arms in the same call as a
 * rule: the poll then stays as it is, sparing two epoll_ctl calls).
 */
static void on_poll(uv_poll_t *p, int status, int events) {
  (void)status;
  (void)events;
  watch_t *w = uv_handle_get_data((uv_handle_t *)p);
  state_t *st = w->st;
  int id = w->id;
  w->armed = 0;
  report(st, id);
  /* The watch may be gone (unwatch in the callback frees it): look it up again. */
  w = find_watch(st, id, 0);
  if (w && !w->armed && w->active) {
    uv_poll_stop(w->poll);
    w->active = 0;
  }
}

static void report(state_t *st, int id) {
  napi_env env = st->env;
  if (st->on_readable == NULL) return;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value cb, recv, arg, result;
  if (napi_get_reference_value(env, st->on_readable, &cb) == napi_ok && cb != NULL) {
    napi_get_global(env, &recv); /* napi_make_callback wants an object */
    arg = make_int(env, id);
    /* As Node calls its own handles' callbacks: next ticks and microtasks run after. */
    if (napi_make_callback(env, st->async, recv, cb, 1, &arg, &result) != napi_ok) {
      bool pending = false;
      napi_is_exception_pending(env, &pending);
      if (pending) {
        napi_value e;
        napi_get_and_clear_last_exception(env, &e);
        napi_fatal_exception(env, e);
      }
    }
  }
  napi_close_handle_scope(env, scope);
}

static void cleanup_state(void *arg) {
  state_t *st = arg;
  while (st->watches) {
    watch_t *w = st->watches;
    st->watches = w->next;
    close_watch(w);
  }
  if (st->async) napi_async_destroy(st->env, st->async);
  st->async = NULL;
  if (st->on_readable) napi_delete_reference(st->env, st->on_readable);
  st->on_readable = NULL;
}

static state_t *get_state(napi_env env) {
  void *data = NULL;
  if (napi_get_instance_data(env, &data) != napi_ok) return NULL;
  return data;
}

/* start(onReadable): the one callback for every report. */
static napi_value start(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (get_args(env, info, 1, argv) < 0) return NULL;
  state_t *st = get_state(env);
  if (st == NULL) return make_int(env, -EINVAL);
  if (st->on_readable) napi_delete_reference(env, st->on_readable);
  CHECK(napi_create_reference(env, argv[0], 1, &st->on_readable));
  if (st->async == NULL) {
    napi_value name;
    napi_create_string_utf8(env, "netdev-sim:listener", NAPI_AUTO_LENGTH, &name);
    CHECK(napi_async_init(env, NULL, name, &st->async));
  }
  return make_int(env, 0);
}

/* watch(fd): an id, or -errno; the fd is reported once readable, after arm(id). */
static napi_value watch(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (get_args(env, info, 1, argv) < 0) return NULL;
  int32_t fd;
  if (get_int(env, argv[0], &fd) < 0) return NULL;
  state_t *st = get_state(env);
  if (st == NULL) return make_int(env, -EINVAL);
  watch_t *w = calloc(1, sizeof *w);
  uv_poll_t *p = malloc(uv_handle_size(NS_UV_POLL));
  if (w == NULL || p == NULL) {
    free(w);
    free(p);
    return make_int(env, -ENOMEM);
  }
  int r = uv_poll_init(st->loop, p, fd);
  if (r < 0) {
    free(w);
    free(p);
    return make_int(env, r);
  }
  w->st = st;
  w->id = st->next_id++;
  w->poll = p;
  uv_handle_set_data((uv_handle_t *)p, w);
  w->next = st->watches;
  st->watches = w;
  return make_int(env, w->id);
}

/* arm(id): report the fd once, when it is (or as soon as it becomes) readable; 0 or a libuv error. */
static napi_value arm(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (get_args(env, info, 1, argv) < 0) return NULL;
  int32_t id;
  if (get_int(env, argv[0], &id) < 0) return NULL;
  state_t *st = get_state(env);
  watch_t *w = st ? find_watch(st, id, 0) : NULL;
  if (w == NULL) return make_int(env, -EBADF);
  w->armed = 1;
  if (w->active) return make_int(env, 0);
  int r = uv_poll_start(w->poll, NS_UV_READABLE, on_poll);
  if (r == 0) w->active = 1;
  return make_int(env, r);
}

/* unwatch(id): before the fd is closed. */
static napi_value unwatch(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (get_args(env, info, 1, argv) < 0) return NULL;
  int32_t id;
  if (get_int(env, argv[0], &id) < 0) return NULL;
  state_t *st = get_state(env);
  watch_t *w = st ? find_watch(st, id, 1) : NULL;
  if (w) close_watch(w);
  return NULL;
}

static void finalize_state(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  free(data);
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
  if ((uv_version() >> 16) != 1) {
    napi_throw_error(env, NULL, "netdev-sim native: needs libuv 1.x");
    return NULL;
  }
  state_t *st = calloc(1, sizeof *st);
  if (st == NULL) return NULL;
  st->env = env;
  st->next_id = 1;
  if (napi_get_uv_event_loop(env, (struct uv_loop_s **)&st->loop) != napi_ok ||
      napi_set_instance_data(env, st, finalize_state, NULL) != napi_ok) {
    free(st);
    return NULL;
  }
  napi_add_env_cleanup_hook(env, cleanup_state, st);
  static const struct {
    const char *name;
    napi_callback fn;
  } fns[] = {
      {"listenUnix", listen_unix}, {"listenInet", listen_inet}, {"accept", accept_fd},
      {"close", close_fd},         {"start", start},            {"watch", watch},
      {"arm", arm},                {"unwatch", unwatch},
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
