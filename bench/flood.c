/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Make N distinct conntrack entries with real packets, spread over
 * loopback addresses 127.0.0.1.. (60000 ports each):
 *   flood udp N   one datagram per destination port (UNREPLIED entries)
 *   flood tcp N   one SYN per destination port (SYN_SENT entries, with
 *                 TCP protoinfo; the caller drops the SYN on input so
 *                 that no RST removes the entry)
 * Run it only inside a namespace made for the benchmark.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static struct sockaddr_in target(unsigned long i)
{
	struct sockaddr_in to = { .sin_family = AF_INET };

	to.sin_addr.s_addr = htonl(0x7f000001u + (uint32_t)(i / 60000));
	to.sin_port = htons((uint16_t)(1024 + i % 60000));
	return to;
}

int main(int argc, char **argv)
{
	unsigned long n, done = 0;
	int tcp;

	if (argc != 3 || (strcmp(argv[1], "udp") && strcmp(argv[1], "tcp"))) {
		fprintf(stderr, "usage: flood udp|tcp N\n");
		return 2;
	}
	tcp = !strcmp(argv[1], "tcp");
	n = strtoul(argv[2], NULL, 10);
	if (!tcp) {
		int fd = socket(AF_INET, SOCK_DGRAM, 0);

		if (fd < 0) {
			perror("flood: socket");
			return 1;
		}
		for (unsigned long i = 0; i < n; i++) {
			struct sockaddr_in to = target(i);

			if (sendto(fd, "x", 1, 0, (struct sockaddr *)&to, sizeof(to)) == 1)
				done++;
		}
		close(fd);
	} else {
		for (unsigned long i = 0; i < n; i++) {
			struct sockaddr_in to = target(i);
			int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

			if (fd < 0) {
				perror("flood: socket");
				return 1;
			}
			/* the SYN leaves now; closing a socket in SYN_SENT sends nothing */
			if (connect(fd, (struct sockaddr *)&to, sizeof(to)) < 0 && errno == EINPROGRESS)
				done++;
			close(fd);
		}
	}
	printf("flood: %lu %s packets sent\n", done, argv[1]);
	return done == n ? 0 : 1;
}
