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

/* The binder's check (sl_connector.check_address): both parts present. */
const char *net_check_address(const char *address, const char **hint);

#endif
