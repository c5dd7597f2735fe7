#pragma once
//! \file
//! KINMAP_ASSERT: for bugs, not user mistakes (those throw InputError). Prints the expression
//! with file:line and aborts; compiled out when NDEBUG is defined (Release).

#include <cstdio>
#include <cstdlib>

#ifdef NDEBUG
#define KINMAP_ASSERT(expr) ((void)0)
#else
#define KINMAP_ASSERT(expr)                                                                  \
    ((expr) ? (void)0                                                                        \
            : (std::fprintf(stderr, "kinmap: assertion failed at %s:%d: %s\n", __FILE__,     \
                            __LINE__, #expr),                                                \
               std::abort()))
#endif
