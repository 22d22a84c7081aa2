/* diag/rules/pcre.h: the one place PCRE2 is included, with its code unit width. */
#ifndef DIAG_PCRE_H
#define DIAG_PCRE_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#endif
