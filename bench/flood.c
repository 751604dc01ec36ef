/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Make N distinct UDP conntrack entries with real packets: one datagram
 * per destination port, spread over loopback addresses 127.0.0.1..
 * Run it only inside a namespace made for the benchmark.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in to = { .sin_family = AF_INET };
	unsigned long sent = 0;

	if (fd < 0) {
		perror("udpflood: socket");
		return 1;
	}
	for (unsigned long i = 0; i < n; i++) {
		/* 60000 ports per address, 127.0.0.1, 127.0.0.2, ... */
		to.sin_addr.s_addr = htonl(0x7f000001u + (uint32_t)(i / 60000));
		to.sin_port = htons((uint16_t)(1024 + i % 60000));
		if (sendto(fd, "x", 1, 0, (struct sockaddr *)&to, sizeof(to)) == 1)
			sent++;
	}
	close(fd);
	printf("udpflood: %lu datagrams sent\n", sent);
	return sent == n ? 0 : 1;
}
