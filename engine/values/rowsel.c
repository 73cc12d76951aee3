/* rowsel.c — the identity selection, built at compile time (no init call, no shared mutable state).
 */
#include "engine/values/rowsel.h"

#define RS_1(n) (n)
#define RS_2(n) RS_1(n), RS_1((n) + 1)
#define RS_4(n) RS_2(n), RS_2((n) + 2)
#define RS_8(n) RS_4(n), RS_4((n) + 4)
#define RS_16(n) RS_8(n), RS_8((n) + 8)
#define RS_32(n) RS_16(n), RS_16((n) + 16)
#define RS_64(n) RS_32(n), RS_32((n) + 32)
#define RS_128(n) RS_64(n), RS_64((n) + 64)
#define RS_256(n) RS_128(n), RS_128((n) + 128)
#define RS_512(n) RS_256(n), RS_256((n) + 256)
#define RS_1024(n) RS_512(n), RS_512((n) + 512)
#define RS_2048(n) RS_1024(n), RS_1024((n) + 1024)

_Static_assert(SL_CHUNK_CAP == 2048, "rowsel_iota is generated for 2048 rows");

const uint32_t rowsel_iota[SL_CHUNK_CAP] = {RS_2048(0u)};
