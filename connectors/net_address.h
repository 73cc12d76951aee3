/*
 * net_address.h — "host:port" as SOCKET and SOCKET LISTEN write it, shared so
 * that a client and a listener read the same addresses the same way:
 * "[v6addr]:port" for IPv6, a bare IPv6 address (two colons) refused with the
 * way to write it.
 */
#ifndef SL_NET_ADDRESS_H
#define SL_NET_ADDRESS_H

#include <stddef.h>

#include "common/status.h"

/* Splits address into host and port, both NUL-terminated in the caller's buffers. */
sl_status net_split_address(const char *address, char *host, size_t host_cap, char *port,
                            size_t port_cap, struct sl_error *err);

/* A TCP socket bound to the first of address's addresses that takes it
 * (port 0: any free one), listening with backlog. A port alone ("5140" or
 * ":5140") listens on 127.0.0.1 only: reaching a listener from other hosts
 * is asked for by naming an address ("0.0.0.0:5140"). sock_flags are or'ed into
 * its type (SOCK_NONBLOCK). SO_REUSEADDR, so that a restart binds again
 * while the last run's connections linger in TIME_WAIT. Errors say
 * "<what> '<address>': cannot listen: <why>". */
sl_status net_listen(const char *what, const char *address, int sock_flags, int backlog, int *fd,
                     struct sl_error *err);

/* The binder's check (sl_connector.check_address): both parts present. */
const char *net_check_address(const char *address, const char **hint);

/* The same for a listener, where a port alone is enough. */
const char *net_check_listen_address(const char *address, const char **hint);

#endif
