/*
 * Readiness on Node's own event loop, for the stand-in's sockets
 * (src/node/native.ts): libuv poll handles on the loop that runs
 * JavaScript (napi_get_uv_event_loop), so a peer's connect() or its data
 * wakes the main thread directly, with no thread and no cross-thread
 * wake-up on the way.
 *
 * - A listening socket is *watched*: JavaScript arms it, hears once that a
 *   connection waits, and accepts when QEMU would (the kernel keeps the
 *   rest in its backlog).
 * - An accepted connection is *read* here, as QEMU's main loop reads it:
 *   when it is readable, one read(2) of at most the buffer's size into the
 *   one buffer JavaScript gave (src/node/real-sockets.ts consumes or copies
 *   it before the next read), then JavaScript hears how many bytes (0 at
 *   end-of-file, -errno on an error, after which nothing more is read).
 *   No net.Socket is made for it: the connection is read-only (QEMU with
 *   no guest sends nothing), and making one costs six system calls.
 *
 * uv.h is not among the Node-API headers, so the few libuv functions used
 * are declared here. libuv keeps its ABI within a major version ("Versions
 * with the same major number are ABI stable", uv/version.h) and Node has
 * shipped libuv 1.x, with its symbols exported for addons, since Node 0.12.
 * Only functions are used, never a struct's layout: a handle's size comes
 * from uv_handle_size() and its user pointer from uv_handle_get/set_data().
 * The module is linked with -z now (scripts/build-native.mjs), so a Node
 * without these symbols fails to load it and the stand-in runs without
 * its helper, saying so, instead of failing on first use; it also refuses
 * to load under a libuv other than 1.x.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "netdev-sim.h"

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
  napi_ref on_readable, on_read, buffer;
  napi_async_context async;
  uint8_t *buf;
  size_t buflen;
  watch_t *watches;
  int next_id;
} state_t;

struct watch {
  state_t *st;
  int id, fd;
  /* A connection read here (or a listener reported to JavaScript). */
  bool reader;
  /* A report is wanted (listener); the poll handle is started. */
  bool armed, active;
  uv_poll_t *poll;
  watch_t *next;
};

static void free_poll(uv_handle_t *h) { free(h); }

static void close_watch(watch_t *w) {
  uv_close((uv_handle_t *)w->poll, free_poll);
  free(w);
}

static watch_t *find_watch(state_t *st, int id, bool unlink) {
  for (watch_t **p = &st->watches; *p; p = &(*p)->next) {
    if ((*p)->id != id) continue;
    watch_t *w = *p;
    if (unlink) *p = w->next;
    return w;
  }
  return NULL;
}

static void set_active(watch_t *w, bool on);

/* Calls `ref` with (id[, n]) as Node calls its own handles' callbacks: next ticks and microtasks run after. */
static void call_js(state_t *st, napi_ref ref, int id, int nargs, int64_t n) {
  napi_env env = st->env;
  if (ref == NULL) return;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value cb, recv, args[2], result;
  if (napi_get_reference_value(env, ref, &cb) == napi_ok && cb != NULL) {
    napi_get_global(env, &recv); /* napi_make_callback wants an object */
    args[0] = make_int(env, id);
    args[1] = make_int(env, n);
    if (napi_make_callback(env, st->async, recv, cb, (size_t)nargs, args, &result) != napi_ok) {
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

/*
 * A listener: one report per arming; the poll stops unless JavaScript
 * armed again meanwhile (it accepts and re-arms in the same call as a
 * rule: the poll then stays as it is, sparing two epoll_ctl calls).
 * A connection: one read, then its outcome.
 */
static void on_poll(uv_poll_t *p, int status, int events) {
  (void)status;
  (void)events;
  watch_t *w = uv_handle_get_data((uv_handle_t *)p);
  state_t *st = w->st;
  int id = w->id;
  if (w->reader) {
    ssize_t n;
    do {
      n = read(w->fd, st->buf, st->buflen);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    int64_t r = n < 0 ? -errno : n;
    if (r <= 0) set_active(w, false); /* end-of-file or an error: nothing more to read */
    call_js(st, st->on_read, id, 2, r);
    return;
  }
  w->armed = false;
  call_js(st, st->on_readable, id, 1, 0);
  /* The watch may be gone (unwatch in the callback frees it): look it up again. */
  w = find_watch(st, id, false);
  if (w && !w->armed) set_active(w, false);
}

static void set_active(watch_t *w, bool on) {
  if (w->active == on) return;
  if (on) {
    if (uv_poll_start(w->poll, NS_UV_READABLE, on_poll) == 0) w->active = true;
  } else {
    uv_poll_stop(w->poll);
    w->active = false;
  }
}

static void drop_refs(state_t *st) {
  if (st->async) napi_async_destroy(st->env, st->async);
  st->async = NULL;
  napi_ref *refs[] = {&st->on_readable, &st->on_read, &st->buffer};
  for (size_t i = 0; i < 3; i++) {
    if (*refs[i]) napi_delete_reference(st->env, *refs[i]);
    *refs[i] = NULL;
  }
  st->buf = NULL;
  st->buflen = 0;
}

static void cleanup_state(void *arg) {
  state_t *st = arg;
  while (st->watches) {
    watch_t *w = st->watches;
    st->watches = w->next;
    close_watch(w);
  }
  drop_refs(st);
}

static void finalize_state(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  free(data);
}

static state_t *get_state(napi_env env) {
  void *data = NULL;
  if (napi_get_instance_data(env, &data) != napi_ok) return NULL;
  return data;
}

int loop_init(napi_env env) {
  if ((uv_version() >> 16) != 1) {
    napi_throw_error(env, NULL, "netdev-sim native: needs libuv 1.x");
    return -1;
  }
  state_t *st = calloc(1, sizeof *st);
  if (st == NULL) return -1;
  st->env = env;
  st->next_id = 1;
  if (napi_get_uv_event_loop(env, (struct uv_loop_s **)&st->loop) != napi_ok ||
      napi_set_instance_data(env, st, finalize_state, NULL) != napi_ok) {
    free(st);
    return -1;
  }
  napi_add_env_cleanup_hook(env, cleanup_state, st);
  return 0;
}

/* start(onReadable, onRead, buffer): the callbacks for listeners and connections, and the buffer reads go into. */
napi_value loop_start(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  if (get_args(env, info, 3, argv) < 0) return NULL;
  state_t *st = get_state(env);
  if (st == NULL) return make_int(env, -EINVAL);
  void *data;
  size_t len;
  napi_typedarray_type type;
  napi_value ab;
  size_t offset;
  CHECK(napi_get_typedarray_info(env, argv[2], &type, &len, &data, &ab, &offset));
  if (type != napi_uint8_array || len == 0) {
    napi_throw_type_error(env, NULL, "netdev-sim native: the read buffer must be a non-empty Uint8Array");
    return NULL;
  }
  drop_refs(st);
  CHECK(napi_create_reference(env, argv[0], 1, &st->on_readable));
  CHECK(napi_create_reference(env, argv[1], 1, &st->on_read));
  CHECK(napi_create_reference(env, argv[2], 1, &st->buffer));
  st->buf = data;
  st->buflen = len;
  napi_value name;
  napi_create_string_utf8(env, "netdev-sim:socket", NAPI_AUTO_LENGTH, &name);
  CHECK(napi_async_init(env, NULL, name, &st->async));
  return make_int(env, 0);
}

static napi_value new_watch(napi_env env, napi_callback_info info, bool reader) {
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
  w->fd = fd;
  w->reader = reader;
  w->poll = p;
  uv_handle_set_data((uv_handle_t *)p, w);
  w->next = st->watches;
  st->watches = w;
  if (reader) set_active(w, true);
  return make_int(env, w->id);
}

/* watch(fd): an id, or -errno; the listening fd is reported once readable, after arm(id). */
napi_value loop_watch(napi_env env, napi_callback_info info) { return new_watch(env, info, false); }

/* readStart(fd): an id, or -errno; the connection is read from now on. */
napi_value loop_read_start(napi_env env, napi_callback_info info) { return new_watch(env, info, true); }

static watch_t *watch_arg(napi_env env, napi_callback_info info, bool unlink) {
  napi_value argv[1];
  if (get_args(env, info, 1, argv) < 0) return NULL;
  int32_t id;
  if (get_int(env, argv[0], &id) < 0) return NULL;
  state_t *st = get_state(env);
  return st ? find_watch(st, id, unlink) : NULL;
}

/* arm(id): report the listener once, when it is (or as soon as it becomes) readable; 0 or -EBADF. */
napi_value loop_arm(napi_env env, napi_callback_info info) {
  watch_t *w = watch_arg(env, info, false);
  if (w == NULL || w->reader) return make_int(env, -EBADF);
  w->armed = true;
  set_active(w, true);
  return make_int(env, w->active ? 0 : -EIO);
}

/* readPause(id): QEMU removed its read watch (a zero-length frame with no NIC): nothing more is read. */
napi_value loop_read_pause(napi_env env, napi_callback_info info) {
  watch_t *w = watch_arg(env, info, false);
  if (w && w->reader) set_active(w, false);
  return NULL;
}

/* unwatch(id): before the fd is closed. */
napi_value loop_unwatch(napi_env env, napi_callback_info info) {
  watch_t *w = watch_arg(env, info, true);
  if (w) close_watch(w);
  return NULL;
}
