#include "CVigilAllocator.h"

// Read by jemalloc when it initialises, at the process's first allocation; the definition in the
// executable takes precedence over the library's own (empty) one. See ProcessHeap.swift for why
// each option.
const char *malloc_conf = "narenas:1,dirty_decay_ms:1000,muzzy_decay_ms:0";

const char *vigil_allocator_options(void) { return malloc_conf; }
