/*
 * lsan_fontconfig.h: for programs that draw text with cairo (the PDF
 * fixtures); included once, not compiled alone. LeakSanitizer (make
 * check): fontconfig, which cairo loads, keeps its configuration for the
 * life of the process. tests/valgrind.supp says the same to valgrind.
 */
#ifndef POLSEARCH_LSAN_FONTCONFIG_H
#define POLSEARCH_LSAN_FONTCONFIG_H

const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
    return "print_suppressions=0";
}

#endif
