/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pcap-mkconv FIXTURES OUT: write the test conversation (conv.h) with the
 * library's writer, for the tshark comparison. */
#include "conv.h"

int main(int argc, char **argv)
{
	struct conv c = { 0 };
	int rc;

	if (argc != 3) {
		fprintf(stderr, "usage: pcap-mkconv FIXTURES_DIR OUT.pcap\n");
		return 2;
	}
	rc = conv_build(&c, argv[1]);
	if (rc == 0)
		rc = conv_write(&c, argv[2]);
	if (rc < 0)
		fprintf(stderr, "pcap-mkconv: %s\n", strerror(-rc));
	else
		printf("%zu records, %u messages, %u conntrack\n", c.n, c.msgs, c.ct_msgs);
	conv_free(&c);
	return rc < 0;
}
