/*
 * An experiment for `p2pchat bench paths`, not part of p2pchat: coturn gives every TCP socket
 * of a relayed connection fixed 64 KiB send and receive buffers (set_socket_options_fd in its
 * ns_ioalib_engine_impl.c), which turns off the kernel's buffer autotuning on them. Preloaded
 * into the benchmark (its children, coturn among them, inherit it), this drops those two
 * settings, so the same relay runs with the kernel's default, autotuned buffers:
 *
 *     gcc -O2 -shared -fPIC -o /tmp/coturn_default_buffers.so Tests/Benchmarks/coturn_default_buffers.c -ldl
 *     LD_PRELOAD=/tmp/coturn_default_buffers.so .build/release/p2pchat bench paths --size 300M
 *
 * The difference between the two runs' relayed rates is what the fixed buffers cost.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <sys/socket.h>

int setsockopt(int fd, int level, int name, const void *value, socklen_t length) {
    static int (*real)(int, int, int, const void *, socklen_t);
    if (!real) real = dlsym(RTLD_NEXT, "setsockopt");
    if (level == SOL_SOCKET && (name == SO_RCVBUF || name == SO_SNDBUF)) return 0;
    return real(fd, level, name, value, length);
}
