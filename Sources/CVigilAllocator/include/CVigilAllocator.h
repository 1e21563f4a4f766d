// jemalloc, vigild's allocator: its control interface (mallctl) and the options vigild builds in.
#ifndef C_VIGIL_ALLOCATOR_H
#define C_VIGIL_ALLOCATOR_H

#include <jemalloc/jemalloc.h>

/// The options jemalloc starts with in vigild (`MALLOC_CONF` in the environment is read after
/// them and so overrides them).
const char *vigil_allocator_options(void);

#endif
