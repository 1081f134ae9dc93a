// Debian zlib1g-dev (zlib).
#ifndef CZLIB_SHIM_H
#define CZLIB_SHIM_H
#include <zlib.h>

/// inflateInit2(stream, 15 + 32): inflate with the largest window and automatic gzip/zlib header
/// detection. (inflateInit2 is a macro, which Swift cannot call.)
static inline int czlib_inflate_init_auto(z_stream *stream) {
    return inflateInit2(stream, 15 + 32);
}
#endif
