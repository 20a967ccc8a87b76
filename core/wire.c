/*
 * wire.c: reading and writing frames over the socketpair between the front
 * end and the host (see wire.h). Reads and writes loop over short counts
 * and EINTR, since both sides take signals (SIGINT, SIGWINCH, SIGCHLD).
 */
#include "config.h"

#include "wire.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "cause.h"

static int
write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* 0 read all, 1 end of stream at the start, -1 error or a cut frame. */
static int
read_all(int fd, void *buf, size_t len)
{
	char *p = buf;
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, p + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			return got == 0 ? 1 : -1;
		if (n < 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

/* A frame's 4-byte length; -1 with *cause when len is too large. */
static int
frame_head(unsigned char *head, size_t len, char **cause)
{
	if (len > WIRE_FRAME_MAX) {
		cause_set(cause, "message too large (%zu bytes)", len);
		return -1;
	}
	head[0] = (unsigned char)(len >> 24);
	head[1] = (unsigned char)(len >> 16);
	head[2] = (unsigned char)(len >> 8);
	head[3] = (unsigned char)len;
	return 0;
}

/* The rest of a frame of which a first write took n bytes (n < 0: it
 * failed). */
static int
frame_rest(int fd, const unsigned char *head, const char *data, size_t len,
    ssize_t n, char **cause)
{
	if (n < 0) {
		cause_set(cause, "cannot write to the other side: %s",
		    strerror(errno));
		return -1;
	}
	if (((size_t)n < 4 && (write_all(fd, head + n, 4 - (size_t)n) != 0 ||
	    write_all(fd, data, len) != 0)) ||
	    ((size_t)n >= 4 && write_all(fd, data + (n - 4),
	    len - (size_t)(n - 4)) != 0)) {
		cause_set(cause, "cannot write to the other side: %s",
		    errno != 0 ? strerror(errno) : "closed");
		return -1;
	}
	return 0;
}

int
wire_write(int fd, const char *data, size_t len, char **cause)
{
	unsigned char head[4];
	struct iovec iov[2] = {
		{ .iov_base = head, .iov_len = 4 },
		{ .iov_base = (void *)data, .iov_len = len },
	};
	ssize_t n = 0;

	if (frame_head(head, len, cause) != 0)
		return -1;
	/* One write for small frames: a reader woken by the length alone
	 * would sleep again for the body, doubling the switches per step. */
	if (len <= 65536) {
		do
			n = writev(fd, iov, 2);
		while (n < 0 && errno == EINTR);
		if (n == (ssize_t)(len + 4))
			return 0;
	}
	return frame_rest(fd, head, data, len, n, cause);
}

/* Room for the one descriptor a frame may carry. */
union fd_control {
	struct cmsghdr align;
	char buf[CMSG_SPACE(sizeof(int))];
};

/* read_all of a frame's head, keeping the descriptor that came with it
 * (*passed, -1 for none; any other is closed). */
static int
read_head(int sock, unsigned char *head, int *passed)
{
	size_t got = 0;

	*passed = -1;
	while (got < 4) {
		struct iovec iov = { .iov_base = head + got, .iov_len = 4 - got };
		union fd_control control;
		struct msghdr msg = {
			.msg_iov = &iov,
			.msg_iovlen = 1,
			.msg_control = control.buf,
			.msg_controllen = sizeof control.buf,
		};
		struct cmsghdr *cm;
		ssize_t n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == ENOTSOCK) {
			/* a file or a pipe: no descriptors */
			int rc = read_all(sock, head + got, 4 - got);

			return rc == 1 && got > 0 ? -1 : rc;
		}
		if (n == 0)
			return got == 0 ? 1 : -1;
		if (n < 0)
			return -1;
		for (cm = CMSG_FIRSTHDR(&msg); cm != NULL;
		    cm = CMSG_NXTHDR(&msg, cm)) {
			int fd;

			if (cm->cmsg_level != SOL_SOCKET ||
			    cm->cmsg_type != SCM_RIGHTS ||
			    cm->cmsg_len != CMSG_LEN(sizeof(int)))
				continue;
			memcpy(&fd, CMSG_DATA(cm), sizeof fd);
			if (*passed >= 0)
				close(fd);
			else
				*passed = fd;
		}
		got += (size_t)n;
	}
	return 0;
}

int
wire_read(int fd, char **data, size_t *len, char **cause)
{
	return wire_read_fd(fd, data, len, NULL, cause);
}

/* passed NULL: no descriptor is expected (the kernel closes one that a
 * plain read passes over) */
int
wire_read_fd(int fd, char **data, size_t *len, int *passed, char **cause)
{
	unsigned char head[4];
	uint32_t n;
	char *buf;
	int rc, none;

	if (passed == NULL) {
		passed = &none;
		none = -1;
		rc = read_all(fd, head, 4);
	} else
		rc = read_head(fd, head, passed);
	if (rc == 1)
		return 1;
	if (rc != 0) {
		cause_set(cause, "the other side closed the connection");
		return -1;
	}
	n = (uint32_t)head[0] << 24 | (uint32_t)head[1] << 16 |
	    (uint32_t)head[2] << 8 | head[3];
	if (n > WIRE_FRAME_MAX) {
		cause_set(cause, "bad frame length %u", n);
		goto fail;
	}
	buf = malloc((size_t)n + 1);
	if (buf == NULL) {
		/* read past it, so the next frame is read whole */
		char skip[4096];
		uint32_t left = n;

		while (left > 0) {
			uint32_t k = left < sizeof skip ? left :
			    (uint32_t)sizeof skip;

			if (read_all(fd, skip, k) != 0) {
				cause_set(cause, "the other side closed the "
				    "connection mid-message");
				goto fail;
			}
			left -= k;
		}
		cause_set(cause, "out of memory for a %u-byte message", n);
		if (*passed >= 0)
			close(*passed);
		*passed = -1;
		return 2;
	}
	if (read_all(fd, buf, n) != 0) {
		free(buf);
		cause_set(cause, "the other side closed the connection mid-message");
		goto fail;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
fail:
	if (*passed >= 0)
		close(*passed);
	*passed = -1;
	return -1;
}

int
wire_write_fd(int sock, const char *data, size_t len, int fd, char **cause)
{
	unsigned char head[4];
	struct iovec iov[2] = {
		{ .iov_base = head, .iov_len = 4 },
		{ .iov_base = (void *)data, .iov_len = len },
	};
	union fd_control control;
	struct msghdr msg = {
		.msg_iov = iov,
		.msg_iovlen = 2,
		.msg_control = control.buf,
		.msg_controllen = sizeof control.buf,
	};
	struct cmsghdr *cm;
	ssize_t n;

	if (frame_head(head, len, cause) != 0)
		return -1;
	memset(&control, 0, sizeof control);
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof fd);
	do
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	/* the descriptor went with the first bytes; a short write's rest by
	 * hand */
	if (n == (ssize_t)(len + 4))
		return 0;
	return frame_rest(sock, head, data, len, n, cause);
}

int
wire_send(int fd, json_t *msg, char **cause)
{
	char *text = json_dumps(msg, JSON_COMPACT);
	int rc;

	if (text == NULL) {
		cause_set(cause, "cannot encode a message");
		return -1;
	}
	rc = wire_write(fd, text, strlen(text), cause);
	free(text);
	return rc;
}

int
wire_recv(int fd, json_t **msg, char **cause)
{
	json_error_t err;
	char *data;
	size_t len;
	int rc = wire_read(fd, &data, &len, cause);

	if (rc != 0)
		return rc;
	*msg = json_loadb(data, len, 0, &err);
	free(data);
	if (*msg == NULL || !json_is_object(*msg)) {
		json_decref(*msg);
		cause_set(cause, "bad message: %s", err.text);
		return -1;
	}
	return 0;
}
