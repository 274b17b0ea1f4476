#ifndef P2PCHAT_CEDITLINE_SHIM_H
#define P2PCHAT_CEDITLINE_SHIM_H
#include <stdio.h>
#include <wchar.h>
#include <histedit.h>

/*
 * One-line wrappers for libedit's native API, whose setters (el_set, el_get,
 * history) are variadic and so cannot be called from Swift.
 *
 * LineEditor uses the native API rather than the readline emulation: the
 * emulation's rl_copy_text drops the last byte (strlcpy with the length as
 * size), rl_line_buffer can dangle once libedit reallocates its conversion
 * buffer, and its callbacks carry no context pointer. The native API gives
 * the wide-character line and cursor exactly, and EL_CLIENTDATA.
 */

typedef char *(*p2p_prompt_fn)(EditLine *);
typedef unsigned char (*p2p_command_fn)(EditLine *, int);

/* EL_SIGNAL, EL_UNBUFFERED, EL_PREP_TERM, EL_EDITMODE, EL_SAFEREAD */
static inline int p2p_el_set_flag(EditLine *e, int op, int value) {
    return el_set(e, op, value);
}

static inline int p2p_el_set_editor(EditLine *e, const char *mode) {
    return el_set(e, EL_EDITOR, mode);
}

/* The prompt function is called on every redraw; text between two `escape`
 * bytes is printed but takes no columns (it is glued to the next character). */
static inline int p2p_el_set_prompt(EditLine *e, p2p_prompt_fn prompt, char escape) {
    return el_set(e, EL_PROMPT_ESC, prompt, escape);
}

static inline int p2p_el_set_history(EditLine *e, History *h) {
    return el_set(e, EL_HIST, history, h);
}

static inline int p2p_el_set_clientdata(EditLine *e, void *data) {
    return el_set(e, EL_CLIENTDATA, data);
}

static inline void *p2p_el_clientdata(EditLine *e) {
    void *data = NULL;
    if (el_get(e, EL_CLIENTDATA, &data) != 0) return NULL;
    return data;
}

static inline int p2p_el_add_function(EditLine *e, const char *name, const char *help, p2p_command_fn fn) {
    return el_set(e, EL_ADDFN, name, help, fn);
}

static inline int p2p_el_bind(EditLine *e, const char *keys, const char *function) {
    return el_set(e, EL_BIND, keys, function, (const char *)NULL);
}

/* Forget what is on the screen and draw prompt and line at the cursor. */
static inline void p2p_el_refresh(EditLine *e) {
    el_set(e, EL_REFRESH);
}

/* The terminal width libedit lays the line out with (0 when unknown). */
static inline int p2p_el_columns(EditLine *e) {
    int columns = 0;
    if (el_get(e, EL_GETTC, "co", &columns, (void *)NULL) != 0) return 0;
    return columns;
}

static inline int p2p_history_set_size(History *h, int size) {
    HistEvent ev;
    return history(h, &ev, H_SETSIZE, size);
}

/* Consecutive duplicate lines are stored once. */
static inline int p2p_history_set_unique(History *h, int unique) {
    HistEvent ev;
    return history(h, &ev, H_SETUNIQUE, unique);
}

static inline int p2p_history_enter(History *h, const char *line) {
    HistEvent ev;
    return history(h, &ev, H_ENTER, line);
}

/* libedit's own file format: a `_HiStOrY_V2_` line, then vis(3)-encoded lines. */
static inline int p2p_history_load(History *h, const char *path) {
    HistEvent ev;
    return history(h, &ev, H_LOAD, path);
}

/* Walking the entries: the newest with H_FIRST, then older ones with H_NEXT,
 * until NULL. */
static inline const char *p2p_history_first(History *h) {
    HistEvent ev;
    return history(h, &ev, H_FIRST) == 0 ? ev.str : NULL;
}

static inline const char *p2p_history_next(History *h) {
    HistEvent ev;
    return history(h, &ev, H_NEXT) == 0 ? ev.str : NULL;
}

static inline int p2p_history_clear(History *h) {
    HistEvent ev;
    return history(h, &ev, H_CLEAR);
}

static inline int p2p_history_save(History *h, const char *path) {
    HistEvent ev;
    return history(h, &ev, H_SAVE, path);
}

/* glibc declares wcwidth only under _XOPEN_SOURCE, which Swift's Glibc module
 * does not define. */
extern int wcwidth(wchar_t c);

/* Terminal columns of a Unicode scalar; -1 when it is not printable. */
static inline int p2p_wcwidth(unsigned int scalar) {
    return wcwidth((wchar_t)scalar);
}

#endif
