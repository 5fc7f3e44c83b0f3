package org.ntsfab.gen;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.ntsfab.ip.stream.AxisRealign;
import org.ntsfab.ip.eth.EthFcs64;
import org.ntsfab.ip.eth.OnesComplementSum64;
import org.ntsfab.hdl.Axis;
import org.ntsfab.hdl.Component;
import org.ntsfab.hdl.Design;
import org.ntsfab.hdl.lib.StreamFifo;
import org.ntsfab.hdl.lib.StreamStage;

/** The library blocks' test tops: what {@code ntsfab gen} emits and the lint, synthesis and simulation gates cover. */
public final class LibraryTops {
    private LibraryTops() {}

    /** The read clock of the asynchronous FIFO's test top. */
    public static final org.ntsfab.hdl.ClockDomain ASYNC_FIFO_READ =
            new org.ntsfab.hdl.ClockDomain("rd_clk", "rd_rst", org.ntsfab.hdl.ClockDomain.Reset.SYNC_HIGH);

    private static Supplier<Axis.Beat> beat() {
        return () -> new Axis.Beat(8, 1);
    }

    /** Top name → constructor, in a fixed order. */
    public static Map<String, Supplier<Component>> all() {
        Map<String, Supplier<Component>> m = new LinkedHashMap<>();
        m.put("eth_fcs_64", EthFcs64::new);
        m.put("eth_mac_rx_8", org.ntsfab.ip.eth.EthMacRx8::new);
        m.put("eth_mac_tx_8", org.ntsfab.ip.eth.EthMacTx8::new);
        m.put("ones_complement_sum_64", OnesComplementSum64::new);
        m.put("axis_realign_64", AxisRealign::new);
        m.put("axis_skid_buffer_64", () -> new StreamStage<>(beat(), StreamStage.Kind.SKID, "tvalid", "tready"));
        m.put("axis_forward_stage_64", () -> new StreamStage<>(beat(), StreamStage.Kind.FORWARD, "tvalid", "tready"));
        m.put("axis_backward_stage_64", () -> new StreamStage<>(beat(), StreamStage.Kind.BACKWARD, "tvalid", "tready"));
        m.put("axis_fifo_64_d16", () -> new StreamFifo<>(beat(), 16, "tvalid", "tready"));
        m.put("async_fifo_w10_d16", () -> new org.ntsfab.hdl.lib.AsyncFifo<>(() -> new org.ntsfab.hdl.Bits(10), 16, ASYNC_FIFO_READ));
        m.put("axis_fifo_64_d512", () -> new StreamFifo<>(beat(), 512, "tvalid", "tready"));
        m.put("cdc_demo", CdcDemo::new);
        m.put("feature_demo", FeatureDemo::new);
        m.put("ntp_clock", org.ntsfab.responder.clock.NtpClockCore::new);
        m.put("frame_ingress", org.ntsfab.responder.rx.FrameIngress::new);
        m.put("ntp_fast_path", org.ntsfab.responder.top.NtpFastPathTop::new);
        m.put("ntsfab_top", org.ntsfab.responder.top.NtsFabTop::new);
        m.put("ntsfab_top_8", () -> new org.ntsfab.responder.top.NtsFabTop(org.ntsfab.responder.ResponderDefaults.GIGE, 1));
        m.put("aes128_pipeline", () -> new org.ntsfab.ip.aes.AesPipeline(128, 1, 8));
        // one round per stage, as the shared pipelines (NtsFabTop.Nts.shared) and the SIV unit build it
        m.put("aes256_pipeline", () -> new org.ntsfab.ip.aes.AesPipeline(256, 1, 8));
        // AES-128 and AES-256 blocks mixed on one pipeline (the NTS core's, for AEAD 15 and 17)
        m.put("aes_mixed_pipeline", () -> new org.ntsfab.ip.aes.AesPipeline(org.ntsfab.ip.aes.AesPipeline.MIXED, 1, 8));
        m.put("aes128_iterative", () -> new org.ntsfab.ip.aes.AesIterative(128, 8));
        m.put("aes256_iterative", () -> new org.ntsfab.ip.aes.AesIterative(256, 8));
        m.put("aes_mixed_iterative", () -> new org.ntsfab.ip.aes.AesIterative(org.ntsfab.ip.aes.AesPipeline.MIXED, 8));
        m.put("aes_mixed_iterative_x4", () -> new org.ntsfab.ip.aes.AesIterativeBank(org.ntsfab.ip.aes.AesPipeline.MIXED, 4, 8));
        m.put("aes128_lanes_32", () -> new org.ntsfab.ip.aes.AesLanes(32, 64, 1024));
        m.put("nts_request_parser", org.ntsfab.responder.nts.NtsRequestParser::new);
        m.put("aes_siv256_ops_32", () -> new org.ntsfab.ip.aes.AesSivOps(128, 32, 64, 1024));
        // AES-SIV-CMAC-256 and -512 operations mixed (each key entry AES-128 or AES-256), the NTS core's
        m.put("aes_siv_mixed_ops_32", () -> new org.ntsfab.ip.aes.AesSivOps(org.ntsfab.ip.aes.AesPipeline.MIXED, 32, 64, 1024));
        m.put("nts_core_32", org.ntsfab.responder.nts.NtsCore::new);
        m.put("nts_core_32_aes_x4", () -> new org.ntsfab.responder.nts.NtsCore(4));
        m.put("nts_core_16_aes_x4", () -> new org.ntsfab.responder.nts.NtsCore(4, 16));
        m.put("nts_admission", () -> new org.ntsfab.responder.nts.NtsAdmission(31, 4096));
        m.put("nts_key_loader", () -> new org.ntsfab.responder.nts.NtsKeyLoader(12400));
        m.put("nts_payload_slice_64", org.ntsfab.responder.nts.NtsPayloadSlice::new);
        m.put("nts_departure_64", org.ntsfab.responder.nts.NtsDeparture::new);
        // the core with its admission and departures (D 12 000 cycles, 76.8 us; a work budget of 16 000 payload bytes)
        m.put("nts_core_responder", () -> new org.ntsfab.responder.nts.NtsCoreResponderTop(12000, 12400, 16000));
        m.put("ntp_lite_8", () -> new org.ntsfab.responder.lite.NtpLite8(org.ntsfab.responder.ResponderDefaults.EXAMPLE));
        m.put("rmii_phy_100", org.ntsfab.ip.eth.RmiiPhy::new);
        m.put("uart_rx_434", () -> new org.ntsfab.ip.uart.UartRx(434));
        m.put("xgmii_mac_rx_64", org.ntsfab.ip.eth.XgmiiMacRx64::new);
        m.put("xgmii_mac_tx_64", org.ntsfab.ip.eth.XgmiiMacTx64::new);
        m.put("rgmii_phy_1000", () -> new org.ntsfab.ip.eth.RgmiiPhy(org.ntsfab.boards.Ecp5VersaCore.RX));
        m.put("uart_register_bridge", () -> new org.ntsfab.ip.uart.UartRegisterBridge(12, 434 * 160));
        m.put("board_host", () -> new org.ntsfab.boards.BoardHost(12, 125_000_000, 115_200));
        m.put("fpga_core_ecp5_versa", org.ntsfab.boards.Ecp5VersaCore::example);
        m.put("fpga_core_vcu118", () -> new org.ntsfab.boards.Vcu118Core(org.ntsfab.responder.ResponderDefaults.EXAMPLE,
                org.ntsfab.responder.top.NtsFabTop.Nts.DEFAULT, 156_250_000, 115_200));
        m.put("fpga_ice40_hx8k", org.ntsfab.boards.Ice40Hx8kBoard::example);
        m.put("ntsfab_regs", () -> new org.ntsfab.ip.axil.AxiLiteRegisters(org.ntsfab.responder.regs.ResponderRegisters.map()));
        return m;
    }

    public static Design elaborate(String name) {
        Supplier<Component> s = all().get(name);
        if (s == null) throw new IllegalArgumentException("no library top " + name + "; known: " + all().keySet());
        return Design.elaborate(s);
    }
}
