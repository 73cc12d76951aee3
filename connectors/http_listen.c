/*
 * http_listen.c — the HTTP LISTEN source's listening socket, bound here
 * rather than by libmicrohttpd so that a failure says which address and why
 * ("address already in use"), and so that port 0 can tell the port it got.
 */
#include "connectors/http_impl.h"
#include "connectors/net_address.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

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
    char host[256], port[16];
    *fd = -1;
    sl_status st = net_split_address(address, host, sizeof host, port, sizeof port, err);
    if (st != SL_OK)
        return st;
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(host, port, &hints, &res);
    if (rc != 0)
        return sl_error_set(err, SL_ERROR, "HTTP LISTEN '%s': cannot resolve '%s': %s", address,
                            host, gai_strerror(rc));
    int last_errno = 0;
    for (struct addrinfo *ai = res; ai && *fd < 0; ai = ai->ai_next) {
        int s = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (s < 0) {
            last_errno = errno;
            continue;
        }
        /* A restart may bind again while the last run's connections linger in TIME_WAIT. */
        int one = 1;
        setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(s, ai->ai_addr, ai->ai_addrlen) == 0 && listen(s, HTTP_LISTEN_BACKLOG) == 0) {
            *fd = s;
        } else {
            last_errno = errno;
            close(s);
        }
    }
    freeaddrinfo(res);
    if (*fd < 0)
        return sl_error_set(err, SL_ERROR, "HTTP LISTEN '%s': cannot listen: %s", address,
                            strerror(last_errno));
    describe_bound(*fd, bound, bound_cap);
    return SL_OK;
}
