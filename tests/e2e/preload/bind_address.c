/* Preloaded into a test peer (baresip) that stands for a host of its own on a loopback address
 * (127.0.0.2, the trunk's): its IPv4 wildcard binds are bound to SUFLYOR_BIND_IPV4 instead, so
 * it sends from that address as a separate host would. baresip binds its RTP sockets to 0.0.0.0,
 * and on loopback the kernel then picks 127.0.0.1 as the source: media would arrive from
 * another IP than the party's signalling and SDP, which the server rightly drops (strict source
 * learning, docs/architecture.md). Nothing else is changed. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

int bind(int fd, const struct sockaddr* addr, socklen_t length) {
    static int (*real_bind)(int, const struct sockaddr*, socklen_t) = NULL;
    if (real_bind == NULL)
        real_bind = (int (*)(int, const struct sockaddr*, socklen_t))dlsym(RTLD_NEXT, "bind");
    const char* ip = getenv("SUFLYOR_BIND_IPV4");
    if (ip != NULL && addr != NULL && addr->sa_family == AF_INET &&
        length >= (socklen_t)sizeof(struct sockaddr_in)) {
        struct sockaddr_in local;
        memcpy(&local, addr, sizeof local);
        if (local.sin_addr.s_addr == htonl(INADDR_ANY) &&
            inet_pton(AF_INET, ip, &local.sin_addr) == 1)
            return real_bind(fd, (const struct sockaddr*)&local, sizeof local);
    }
    return real_bind(fd, addr, length);
}
