/*
 * netdev-sim's native helper for the stand-in QEMU (src/node/native.ts).
 *
 * What Node cannot do and QEMU does:
 * - listen with QEMU's backlog and accept only when QEMU would: Node's
 *   libuv accepts every pending connection as soon as it can, so the
 *   kernel's queue never fills and never refuses anyone. Here the
 *   listening socket is ours; a libuv poll handle on Node's own loop
 *   reports it readable (once per arming), and JavaScript accepts one
 *   connection when it wants one. An accepted netdev connection is read
 *   here too (loop.c), a QMP connection goes to a net.Socket;
 * - lock the pid file with fcntl(F_SETLK), as qemu_write_pidfile() does;
 * - learn who sent SIGTERM/SIGINT (si_pid), for QEMU's
 *   "terminating on signal 15 from pid N (NAME)";
 * - ask for a signal when the parent dies (prctl PR_SET_PDEATHSIG), so the
 *   stand-in does not outlive an `npm exec` shell that was killed.
 *
 * Node-API (node_api.h from the node-api-headers package) and a handful of
 * libuv 1.x functions (declared in loop.c) are used, so one build works
 * with any Node from 18 on. Built by scripts/build-native.mjs from this
 * file and loop.c.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "netdev-sim.h"

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

/* Binds fd to addr and listens with backlog; on failure closes fd and says which stage failed. */
static napi_value bind_and_listen(napi_env env, int fd, const struct sockaddr *addr, socklen_t alen, int backlog) {
  const char *stage = NULL;
  if (bind(fd, addr, alen) < 0) stage = "bind";
  else if (listen(fd, backlog) < 0) stage = "listen";
  if (stage != NULL) {
    int e = errno;
    close(fd);
    return listen_result(env, -1, stage, e);
  }
  return listen_result(env, fd, NULL, 0);
}

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
  return bind_and_listen(env, fd, (struct sockaddr *)&un, alen, backlog);
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
  return bind_and_listen(env, fd, (struct sockaddr *)&ss, alen, backlog);
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

/*
 * exitNow(status): the process ends here, once the command has closed its
 * sockets and removed its files, as QEMU's does after its cleanup, without
 * Node's teardown (which joins V8's worker threads: on a busy machine that
 * doubled the time from quit to the exit, up to 50 ms). For the command
 * only, never the library; Node writes stdout and stderr synchronously on
 * Linux, and the command's files are written synchronously.
 */
static napi_value exit_now(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (get_args(env, info, 1, argv) < 0) return NULL;
  int32_t status;
  if (get_int(env, argv[0], &status) < 0) return NULL;
  fflush(NULL);
  _exit(status);
}

/* peerName(fd): getpeername() of a connected inet socket as { address, port, family } (4 or 6), or -errno. */
static napi_value peer_name(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (get_args(env, info, 1, argv) < 0) return NULL;
  int32_t fd;
  if (get_int(env, argv[0], &fd) < 0) return NULL;
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  if (getpeername(fd, (struct sockaddr *)&ss, &len) < 0) return make_int(env, -errno);
  char host[INET6_ADDRSTRLEN] = "";
  int port = 0, family = 0;
  if (ss.ss_family == AF_INET) {
    struct sockaddr_in *a = (struct sockaddr_in *)&ss;
    inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
    port = ntohs(a->sin_port);
    family = 4;
  } else if (ss.ss_family == AF_INET6) {
    struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
    inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
    port = ntohs(a->sin6_port);
    family = 6;
  } else {
    return make_int(env, -EAFNOSUPPORT);
  }
  napi_value out, h;
  napi_create_object(env, &out);
  napi_create_string_utf8(env, host, NAPI_AUTO_LENGTH, &h);
  napi_set_named_property(env, out, "address", h);
  napi_set_named_property(env, out, "port", make_int(env, port));
  napi_set_named_property(env, out, "family", make_int(env, family));
  return out;
}

/* ---- module ------------------------------------------------------------- */

NAPI_MODULE_INIT() {
  if (loop_init(env) < 0) return NULL;
  static const struct {
    const char *name;
    napi_callback fn;
  } fns[] = {
      {"listenUnix", listen_unix},
      {"listenInet", listen_inet},
      {"accept", accept_fd},
      {"peerName", peer_name},
      {"close", close_fd},
      {"start", loop_start},
      {"watch", loop_watch},
      {"arm", loop_arm},
      {"readStart", loop_read_start},
      {"readPause", loop_read_pause},
      {"unwatch", loop_unwatch},
      {"lockFile", lock_file},
      {"watchSender", watch_sender},
      {"lastSender", last_sender},
      {"parentDeathSignal", parent_death_signal},
      {"exitNow", exit_now},
  };
  for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    napi_value f;
    if (napi_create_function(env, fns[i].name, NAPI_AUTO_LENGTH, fns[i].fn, NULL, &f) != napi_ok) return NULL;
    if (napi_set_named_property(env, exports, fns[i].name, f) != napi_ok) return NULL;
  }
  return exports;
}
