// glibc's malloc tuning and trimming (mallopt, malloc_trim), which the Glibc module does not export.
#include <malloc.h>
