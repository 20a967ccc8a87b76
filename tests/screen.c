/*
 * screen.c: a program in a pseudo-terminal with libvterm as the terminal
 * (see screen.h). Every byte the program writes is kept (raw) and fed to a
 * VTerm, whose screen layer holds the cells a person would see; the
 * alternate screen is enabled, as in xterm, so a full-screen program's
 * exit brings back what was there before. What the VTerm itself sends (its
 * answers to cursor-position and device-attribute queries, keys it
 * encodes) goes back to the program through the master, as a real terminal
 * would answer.
 *
 * The master is non-blocking: reading is driven by poll(), and writing
 * keys keeps reading output, so a program blocked on a full terminal never
 * deadlocks a test. A read that fails with EIO means no process holds the
 * terminal any more; from then on nothing new can appear.
 */
#include "config.h"

#include "screen.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <vterm.h>

#include "child-signals.h"

struct screen {
	pid_t pid;              /* the program */
	int master;             /* the terminal's other end (non-blocking) */
	bool hangup;            /* read gave EIO: the slave side is closed */
	VTerm *vt;              /* the terminal: parser and state */
	VTermScreen *vs;        /* its cells */
	int rows, cols;         /* the current size */
	char *raw;              /* everything read, NUL-terminated */
	size_t len, cap;        /* bytes in raw; its allocation */
};

/* A row's text with, for each byte, the cell it came from. */
struct row_text {
	char *text;             /* UTF-8, one or more bytes per cell */
	int *col;               /* col[i]: the cell of text[i] */
	size_t len;
};

static void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n == 0 ? 1 : n);
	if (p == NULL) {
		fprintf(stderr, "screen: out of memory\n");
		abort();
	}
	return p;
}

static char *
xstrdup(const char *text)
{
	size_t n = strlen(text) + 1;

	return memcpy(xrealloc(NULL, n), text, n);
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Milliseconds left until end, for poll(): never negative. */
static int
left_ms(long long end)
{
	long long left = end - now_ms();

	return left < 0 ? 0 : left > 1000000 ? 1000000 : (int)left;
}

/* One code point as UTF-8 into out (4 bytes at most); the length. */
static size_t
utf8_put(uint32_t c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c >= 0xd800 && c <= 0xdfff)
		c = 0xfffd;
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | c >> 12);
		out[1] = (char)(0x80 | (c >> 6 & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	if (c > 0x10ffff)
		return utf8_put(0xfffd, out);
	out[0] = (char)(0xf0 | c >> 18);
	out[1] = (char)(0x80 | (c >> 12 & 0x3f));
	out[2] = (char)(0x80 | (c >> 6 & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

static void pump(struct screen *, int);

/* Write all of bytes to the master, waiting at most timeout_ms for room.
 * With do_pump, output is read meanwhile, so a program blocked writing to
 * a full terminal gets to read its input (never from inside the VTerm's
 * own callback: the VTerm is not reentrant). */
static void
write_master(struct screen *s, const char *bytes, size_t len, bool do_pump,
    int timeout_ms)
{
	long long end = now_ms() + timeout_ms;

	while (len > 0) {
		ssize_t n = write(s->master, bytes, len);

		if (n > 0) {
			bytes += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN)
			return;         /* EIO: nobody reads the terminal any more */
		if (now_ms() >= end)
			return;
		if (do_pump)
			pump(s, 10);
		else {
			struct pollfd pf = { .fd = s->master, .events = POLLOUT };

			poll(&pf, 1, 10);
		}
	}
}

/* The VTerm answers a query or encodes a key: send it to the program. */
static void
vterm_said(const char *bytes, size_t len, void *user)
{
	write_master(user, bytes, len, false, 1000);
}

/* Read what is there now, waiting up to wait_ms for the first bytes. */
static void
pump(struct screen *s, int wait_ms)
{
	char buf[4096];

	if (s->hangup) {
		if (wait_ms > 0)
			poll(NULL, 0, wait_ms);
		return;
	}
	for (;;) {
		struct pollfd pf = { .fd = s->master, .events = POLLIN };
		ssize_t n;
		int r = poll(&pf, 1, wait_ms);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return;
		n = read(s->master, buf, sizeof buf);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			s->hangup = true;
			return;
		}
		if (s->len + (size_t)n + 1 > s->cap) {
			s->cap = (s->len + (size_t)n + 1) * 2;
			s->raw = xrealloc(s->raw, s->cap);
		}
		memcpy(s->raw + s->len, buf, (size_t)n);
		s->len += (size_t)n;
		s->raw[s->len] = '\0';
		vterm_input_write(s->vt, buf, (size_t)n);
		wait_ms = 0;    /* then take whatever else is already there */
	}
}

struct screen *
screen_spawn(const char *const *argv, int rows, int cols,
    const char *const *env_extra)
{
	struct winsize ws = { .ws_row = (unsigned short)rows,
	    .ws_col = (unsigned short)cols };
	struct screen *s = xrealloc(NULL, sizeof *s);
	size_t i;

	memset(s, 0, sizeof *s);
	s->rows = rows;
	s->cols = cols;
	s->raw = xrealloc(NULL, s->cap = 4096);
	s->raw[0] = '\0';
	s->pid = forkpty(&s->master, NULL, NULL, &ws);
	if (s->pid < 0) {
		free(s->raw);
		free(s);
		return NULL;
	}
	if (s->pid == 0) {
		child_signals_default();
		setenv("TERM", "xterm-256color", 1);
		for (i = 0; env_extra != NULL && env_extra[i] != NULL; i++) {
			char *name = xstrdup(env_extra[i]);
			char *eq = strchr(name, '=');

			if (eq == NULL)
				unsetenv(name);
			else {
				*eq = '\0';
				setenv(name, eq + 1, 1);
			}
		}
		execv(argv[0], (char *const *)argv);
		fprintf(stderr, "screen: cannot run %s: %s\n", argv[0],
		    strerror(errno));
		_exit(127);
	}
	fcntl(s->master, F_SETFL, fcntl(s->master, F_GETFL) | O_NONBLOCK);
	fcntl(s->master, F_SETFD, FD_CLOEXEC);
	s->vt = vterm_new(rows, cols);
	vterm_set_utf8(s->vt, 1);
	vterm_output_set_callback(s->vt, vterm_said, s);
	s->vs = vterm_obtain_screen(s->vt);
	vterm_screen_enable_altscreen(s->vs, 1);
	vterm_screen_reset(s->vs, 1);
	return s;
}

/* The VTerm key for a cursor-key sequence, or VTERM_KEY_NONE. */
static VTermKey
cursor_key(const char *bytes)
{
	static const struct {
		char final;     /* of "\033[x" */
		VTermKey key;
	} keys[] = {
		{ 'A', VTERM_KEY_UP }, { 'B', VTERM_KEY_DOWN },
		{ 'C', VTERM_KEY_RIGHT }, { 'D', VTERM_KEY_LEFT },
		{ 'H', VTERM_KEY_HOME }, { 'F', VTERM_KEY_END },
	};
	size_t i;

	if (bytes[0] != '\033' || bytes[1] != '[')
		return VTERM_KEY_NONE;
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (bytes[2] == keys[i].final)
			return keys[i].key;
	return VTERM_KEY_NONE;
}

void
screen_type(struct screen *s, const char *bytes)
{
	while (*bytes != '\0') {
		size_t plain = 0;
		VTermKey key;

		while (bytes[plain] != '\0' &&
		    cursor_key(bytes + plain) == VTERM_KEY_NONE)
			plain++;
		write_master(s, bytes, plain, true, 5000);
		bytes += plain;
		if (*bytes == '\0')
			break;
		/* the VTerm knows the cursor-key mode; it writes the key
		 * through vterm_said() */
		key = cursor_key(bytes);
		vterm_keyboard_key(s->vt, key, VTERM_MOD_NONE);
		bytes += 3;
	}
}

static void
cell_at(struct screen *s, int row, int col, VTermScreenCell *cell)
{
	VTermPos pos = { .row = row, .col = col };

	memset(cell, 0, sizeof *cell);
	cell->width = 1;
	vterm_screen_get_cell(s->vs, pos, cell);
}

/* The cell's text as UTF-8 into out (size bytes, NUL-terminated): the
 * code points that fit whole, " " for an empty cell. */
static void
cell_text(const VTermScreenCell *cell, char *out, size_t size)
{
	size_t len = 0, i;

	for (i = 0; i < VTERM_MAX_CHARS_PER_CELL && cell->chars[i] != 0 &&
	    cell->chars[i] != (uint32_t)-1; i++) {
		char enc[4];
		size_t n = utf8_put(cell->chars[i], enc);

		if (len + n >= size)
			break;
		memcpy(out + len, enc, n);
		len += n;
	}
	if (i == 0)
		out[len++] = ' ';
	out[len] = '\0';
}

/* Row's text; width-2 characters take one entry and cover two columns. */
static void
row_text(struct screen *s, int row, struct row_text *rt)
{
	size_t cap = (size_t)s->cols * 4 + 1;
	int col = 0;

	rt->text = xrealloc(NULL, cap);
	rt->col = xrealloc(NULL, cap * sizeof *rt->col);
	rt->len = 0;
	while (row >= 0 && row < s->rows && col < s->cols) {
		VTermScreenCell cell;
		char text[VTERM_MAX_CHARS_PER_CELL * 4 + 1];
		size_t n, i;

		cell_at(s, row, col, &cell);
		cell_text(&cell, text, sizeof text);
		n = strlen(text);
		if (rt->len + n + 1 > cap) {
			cap = (rt->len + n + 1) * 2;
			rt->text = xrealloc(rt->text, cap);
			rt->col = xrealloc(rt->col, cap * sizeof *rt->col);
		}
		for (i = 0; i < n; i++) {
			rt->text[rt->len] = text[i];
			rt->col[rt->len++] = col;
		}
		col += cell.width > 1 ? cell.width : 1;
	}
	rt->text[rt->len] = '\0';
}

char *
screen_row(struct screen *s, int row)
{
	struct row_text rt;

	row_text(s, row, &rt);
	while (rt.len > 0 && rt.text[rt.len - 1] == ' ')
		rt.text[--rt.len] = '\0';
	free(rt.col);
	return rt.text;
}

char *
screen_text(struct screen *s)
{
	char *all = xstrdup("");
	size_t len = 0;
	int row;

	for (row = 0; row < s->rows; row++) {
		char *line = screen_row(s, row);
		size_t n = strlen(line);

		all = xrealloc(all, len + n + 2);
		memcpy(all + len, line, n);
		len += n;
		if (row + 1 < s->rows)
			all[len++] = '\n';
		all[len] = '\0';
		free(line);
	}
	return all;
}

bool
screen_find(struct screen *s, const char *text, int *row, int *col)
{
	int r;

	for (r = 0; r < s->rows; r++) {
		struct row_text rt;
		char *at;

		row_text(s, r, &rt);
		at = strstr(rt.text, text);
		if (at != NULL) {
			if (row != NULL)
				*row = r;
			if (col != NULL)
				*col = rt.col[at - rt.text];
		}
		free(rt.text);
		free(rt.col);
		if (at != NULL)
			return true;
	}
	return false;
}

void
screen_cell(struct screen *s, int row, int col, struct screen_cell *out)
{
	VTermScreenCell cell;

	memset(out, 0, sizeof *out);
	cell_at(s, row, col, &cell);
	cell_text(&cell, out->text, sizeof out->text);
	/* the right half of a wide character */
	if (col > 0) {
		VTermScreenCell left;

		cell_at(s, row, col - 1, &left);
		if (left.width == 2)
			out->text[0] = '\0';
	}
	out->bold = cell.attrs.bold;
	out->reverse = cell.attrs.reverse;
	out->underline = cell.attrs.underline != VTERM_UNDERLINE_OFF;
	out->fg_default = row < 0 || row >= s->rows || col < 0 ||
	    col >= s->cols || VTERM_COLOR_IS_DEFAULT_FG(&cell.fg);
	out->bg_default = row < 0 || row >= s->rows || col < 0 ||
	    col >= s->cols || VTERM_COLOR_IS_DEFAULT_BG(&cell.bg);
}

bool
screen_has_color(struct screen *s)
{
	int row, col;

	for (row = 0; row < s->rows; row++)
		for (col = 0; col < s->cols; col++) {
			VTermScreenCell cell;

			cell_at(s, row, col, &cell);
			if (!VTERM_COLOR_IS_DEFAULT_FG(&cell.fg) ||
			    !VTERM_COLOR_IS_DEFAULT_BG(&cell.bg))
				return true;
		}
	return false;
}

bool
screen_wait_text(struct screen *s, const char *text, int timeout_ms)
{
	long long end = now_ms() + timeout_ms;

	for (;;) {
		if (screen_find(s, text, NULL, NULL))
			return true;
		if (s->hangup || now_ms() >= end)
			return false;
		pump(s, left_ms(end));
	}
}

bool
screen_wait_gone(struct screen *s, const char *text, int timeout_ms)
{
	long long end = now_ms() + timeout_ms;

	for (;;) {
		if (!screen_find(s, text, NULL, NULL))
			return true;
		if (s->hangup || now_ms() >= end)
			return false;
		pump(s, left_ms(end));
	}
}

bool
screen_wait_exit(struct screen *s, int timeout_ms)
{
	long long end = now_ms() + timeout_ms;

	while (!s->hangup && now_ms() < end)
		pump(s, left_ms(end));
	return s->hangup;
}

void
screen_settle(struct screen *s, int quiet_ms, int timeout_ms)
{
	long long end = now_ms() + timeout_ms;

	while (!s->hangup && now_ms() < end) {
		size_t before = s->len;
		int wait = left_ms(end);

		pump(s, wait < quiet_ms ? wait : quiet_ms);
		if (s->len == before)
			return;
	}
}

void
screen_resize(struct screen *s, int rows, int cols)
{
	struct winsize ws = { .ws_row = (unsigned short)rows,
	    .ws_col = (unsigned short)cols };

	/* the VTerm first, so output drawn for the new size lands in it */
	vterm_set_size(s->vt, rows, cols);
	s->rows = rows;
	s->cols = cols;
	ioctl(s->master, TIOCSWINSZ, &ws);
}

size_t
screen_bytes(const struct screen *s)
{
	return s->len;
}

const char *
screen_raw(const struct screen *s, size_t *len)
{
	if (len != NULL)
		*len = s->len;
	return s->raw;
}

bool
screen_tty_sane(struct screen *s)
{
	struct termios t;

	/* on Linux, the master's termios calls act on the slave's modes */
	if (tcgetattr(s->master, &t) != 0)
		return false;
	return (t.c_lflag & ICANON) && (t.c_lflag & ECHO);
}

int
screen_finish(struct screen *s, int timeout_ms)
{
	long long end = now_ms() + timeout_ms;
	int status = -1, w;

	for (;;) {
		w = waitpid(s->pid, &status, WNOHANG);
		if (w == s->pid || (w < 0 && errno != EINTR))
			break;
		if (now_ms() >= end) {
			kill(s->pid, SIGKILL);
			waitpid(s->pid, &status, 0);
			w = -1;
			break;
		}
		pump(s, 10);
	}
	if (w == s->pid) {
		pump(s, 0);     /* what the program wrote last */
		status = WIFEXITED(status) ? WEXITSTATUS(status) :
		    128 + WTERMSIG(status);
	} else
		status = -1;
	vterm_free(s->vt);
	close(s->master);
	free(s->raw);
	free(s);
	return status;
}
