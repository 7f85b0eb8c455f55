/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Check suites of the unit tests, one per module, each defined in
 * tests/unit/check_<module>.c. A new suite is declared here and added to
 * the table in check_main.c, which runs them all.
 */
#ifndef RAWCT_TESTS_UNIT_SUITES_H
#define RAWCT_TESTS_UNIT_SUITES_H

#include <check.h>

Suite *attr_suite(void);
Suite *msg_suite(void);
Suite *reply_suite(void);
Suite *format_suite(void);
Suite *labels_suite(void);
Suite *ct_codec_suite(void);
Suite *expect_suite(void);
Suite *bpf_suite(void);
Suite *event_suite(void);
Suite *ct_args_suite(void);
Suite *filter_suite(void);
Suite *loop_suite(void);
Suite *log_suite(void);
Suite *process_suite(void);
Suite *config_suite(void);
Suite *pack_suite(void);
Suite *hash_suite(void);
Suite *keyset_suite(void);
Suite *cache_suite(void);
Suite *sync_filter_suite(void);

Suite *ctd_args_suite(void);
Suite *sync_msg_suite(void);
Suite *link_suite(void);
Suite *chan_stream_suite(void);
Suite *chans_suite(void);
Suite *privsep_suite(void);
Suite *dump_suite(void);
Suite *ctl_suite(void);
Suite *report_suite(void);
Suite *crypto_suite(void);
Suite *frame_suite(void);
Suite *replay_suite(void);
Suite *keys_suite(void);
Suite *auth_suite(void);
Suite *tmo_suite(void);
Suite *cth_suite(void);
Suite *nfct_args_suite(void);
Suite *ftfw_suite(void);
Suite *heal_suite(void);

#endif
