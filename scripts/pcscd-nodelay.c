/* LD_PRELOAD shim for pcscd: vpcd answers each APDU in two send() calls, which Nagle's algorithm
 * against delayed ACK turns into ~48 ms per APDU. Setting TCP_NODELAY on every TCP socket pcscd
 * accepts brings that to well under a millisecond, so the virtual card can model a real reader's
 * latency itself. Test machines only: never on a kiosk. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

static void set_nodelay(int fd) {
  struct sockaddr_storage addr;
  socklen_t len = sizeof addr;
  if (fd < 0 || getsockname(fd, (struct sockaddr *)&addr, &len) != 0) return;
  if (addr.ss_family != AF_INET && addr.ss_family != AF_INET6) return;
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

int accept(int fd, struct sockaddr *addr, socklen_t *len) {
  static int (*real)(int, struct sockaddr *, socklen_t *);
  if (!real) real = dlsym(RTLD_NEXT, "accept");
  int client = real(fd, addr, len);
  set_nodelay(client);
  return client;
}

int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags) {
  static int (*real)(int, struct sockaddr *, socklen_t *, int);
  if (!real) real = dlsym(RTLD_NEXT, "accept4");
  int client = real(fd, addr, len, flags);
  set_nodelay(client);
  return client;
}
