/*
 * http_listen.c — the HTTP LISTEN source's listening socket, bound here
 * rather than by libmicrohttpd so that a failure says which address and why
 * ("address already in use"), and so that port 0 can tell the port it got.
 */
#include "connectors/http_impl.h"
#include "connectors/net_address.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <sys/socket.h>

/* Senders waiting to be accepted: enough for bursts of short requests. */
#define HTTP_LISTEN_BACKLOG 512

/* The address a socket is bound to, as "127.0.0.1:41234" or "[::1]:41234". */
static void describe_bound(int fd, char *out, size_t cap)
{
    struct sockaddr_storage sa;
    socklen_t len = sizeof sa;
    char ip[INET6_ADDRSTRLEN] = "?";
    unsigned port = 0;
    if (getsockname(fd, (struct sockaddr *)&sa, &len) == 0 && sa.ss_family == AF_INET6) {
        const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)&sa;
        inet_ntop(AF_INET6, &v6->sin6_addr, ip, sizeof ip);
        port = ntohs(v6->sin6_port);
        snprintf(out, cap, "[%s]:%u", ip, port);
        return;
    }
    const struct sockaddr_in *v4 = (const struct sockaddr_in *)&sa;
    inet_ntop(AF_INET, &v4->sin_addr, ip, sizeof ip);
    port = ntohs(v4->sin_port);
    snprintf(out, cap, "%s:%u", ip, port);
}

sl_status http_listen(const char *address, int *fd, char *bound, size_t bound_cap,
                      struct sl_error *err)
{
    sl_status st = net_listen("HTTP LISTEN", address, 0, HTTP_LISTEN_BACKLOG, fd, err);
    if (st != SL_OK)
        return st;
    describe_bound(*fd, bound, bound_cap);
    return SL_OK;
}
