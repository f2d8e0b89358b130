/**
 * The Ethernet frame the examples, the simulator's forms, the editor's
 * snippets, the benchmark and the tests send: 42 bytes, a broadcast ARP
 * request from 52:54:00:12:34:56 (QEMU's default MAC) with sender address
 * 10.0.2.2, as hex digits the way a scenario's `send` step writes them.
 */
export const SAMPLE_ARP_FRAME_HEX = 'ffffffffffff525400123456080600010800060400015254001234560a000202000000000000a0000201';
