/*
 * What the native helper's two parts share (netdev-sim.c: sockets, pid
 * file, signals and the module; loop.c: readiness on Node's event loop).
 */
#ifndef NETDEV_SIM_H
#define NETDEV_SIM_H

#include <stdint.h>

#include <node_api.h>

#define CHECK(call)                                                   \
  do {                                                                \
    if ((call) != napi_ok) {                                          \
      napi_throw_error(env, NULL, "netdev-sim native: " #call);       \
      return NULL;                                                    \
    }                                                                 \
  } while (0)

static inline napi_value make_int(napi_env env, int64_t v) {
  napi_value out;
  napi_create_int64(env, v, &out);
  return out;
}

static inline int get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < want) {
    napi_throw_type_error(env, NULL, "netdev-sim native: missing arguments");
    return -1;
  }
  return 0;
}

static inline int get_int(napi_env env, napi_value v, int32_t *out) {
  if (napi_get_value_int32(env, v, out) != napi_ok) {
    napi_throw_type_error(env, NULL, "netdev-sim native: expected a number");
    return -1;
  }
  return 0;
}

/* loop.c: set up per Node environment; the functions it exports. */
int loop_init(napi_env env);
napi_value loop_start(napi_env env, napi_callback_info info);
napi_value loop_watch(napi_env env, napi_callback_info info);
napi_value loop_arm(napi_env env, napi_callback_info info);
napi_value loop_unwatch(napi_env env, napi_callback_info info);
napi_value loop_read_start(napi_env env, napi_callback_info info);
napi_value loop_read_pause(napi_env env, napi_callback_info info);

#endif
