// ntsfab board top for the Lattice ECP5-5G Versa (LFE5UM5G-45F-8BG381) and its first RGMII PHY (Marvell 88E1512).
// Hand-written on purpose and kept to what only the vendor's primitives can do: the PLL, the DDR I/O cells, the
// receive-data delays and the reset sequencing. Everything else is the generated fpga_core_ecp5_versa
// (ntsfab gen / ntsfab build --board ecp5-versa), which the cycle-accurate cross-check covers.
//
// Clocks: clk (125 MHz) comes from the PLL, locked to the 10 MHz reference (REF_10MHZ = 1, the appliance case: the
// responder's clock then counts the atomic or GNSS-disciplined reference) or to the board's 100 MHz oscillator
// (REF_10MHZ = 0, for the lab). clk90 (same frequency, +90 degrees) clocks the forwarded RGMII TX clock, so TXD is
// centred on it for a PHY without its own TX delay. rgmii_rx_clk is the PHY's receive clock; RXD/RX_CTL are delayed
// by RX_DELAY_TAPS (about 25 ps each, 80 = 2 ns) for a PHY that sends them edge-aligned (set 0 if the PHY adds its
// own RX delay).
`resetall
`timescale 1ns / 1ps
`default_nettype none

module fpga_ecp5_versa #(
    parameter integer REF_10MHZ = 1,
    parameter integer RX_DELAY_TAPS = 80
) (
    /* verilator lint_off UNUSEDSIGNAL */    // one of the two PLL references is unused, by REF_10MHZ
    input  wire       clk100,        // 100 MHz LVDS oscillator
    input  wire       ref10,         // 10 MHz reference (LVDS on the EXT CLK SMA pair)
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire       rst_n,         // push button, active low
    input  wire       pps,           // 1 PPS, rising edge on the second
    input  wire       uart_rx,
    output wire       uart_tx,
    output wire [7:0] led_n,         // active low
    input  wire       rgmii_rx_clk,
    input  wire [3:0] rgmii_rxd,
    input  wire       rgmii_rx_ctl,
    output wire       rgmii_tx_clk,
    output wire [3:0] rgmii_txd,
    output wire       rgmii_tx_ctl,
    output wire       phy_rst_n
);

// ---- PLL: 125 MHz and 125 MHz at +90 degrees (VCO 625 MHz) -------------------------------------------------------
wire clk, clk90, pll_locked;
/* verilator lint_off PINCONNECTEMPTY */    // the PLL outputs not used here are left open, by name
generate
    if (REF_10MHZ != 0) begin : g_pll_ref10
        // 10 MHz / 2 = 5 MHz at the phase detector, x 25 = 125 MHz
        EHXPLLL #(
            .CLKI_DIV(2), .CLKFB_DIV(25), .CLKOP_DIV(5), .CLKOS_DIV(5),
            .CLKOP_ENABLE("ENABLED"), .CLKOS_ENABLE("ENABLED"),
            .CLKOP_CPHASE(4), .CLKOP_FPHASE(0), .CLKOS_CPHASE(5), .CLKOS_FPHASE(2),
            .FEEDBK_PATH("CLKOP")
        ) pll (
            .CLKI(ref10), .CLKFB(clk), .RST(1'b0), .STDBY(1'b0),
            .PHASESEL1(1'b0), .PHASESEL0(1'b0), .PHASEDIR(1'b0), .PHASESTEP(1'b0), .PHASELOADREG(1'b0),
            .PLLWAKESYNC(1'b0), .ENCLKOP(1'b0), .ENCLKOS(1'b0), .ENCLKOS2(1'b0), .ENCLKOS3(1'b0),
            .CLKOP(clk), .CLKOS(clk90), .CLKOS2(), .CLKOS3(), .LOCK(pll_locked), .INTLOCK(), .REFCLK(), .CLKINTFB()
        );
    end else begin : g_pll_osc100
        // 100 MHz / 4 = 25 MHz at the phase detector, x 5 = 125 MHz
        EHXPLLL #(
            .CLKI_DIV(4), .CLKFB_DIV(5), .CLKOP_DIV(5), .CLKOS_DIV(5),
            .CLKOP_ENABLE("ENABLED"), .CLKOS_ENABLE("ENABLED"),
            .CLKOP_CPHASE(4), .CLKOP_FPHASE(0), .CLKOS_CPHASE(5), .CLKOS_FPHASE(2),
            .FEEDBK_PATH("CLKOP")
        ) pll (
            .CLKI(clk100), .CLKFB(clk), .RST(1'b0), .STDBY(1'b0),
            .PHASESEL1(1'b0), .PHASESEL0(1'b0), .PHASEDIR(1'b0), .PHASESTEP(1'b0), .PHASELOADREG(1'b0),
            .PLLWAKESYNC(1'b0), .ENCLKOP(1'b0), .ENCLKOS(1'b0), .ENCLKOS2(1'b0), .ENCLKOS3(1'b0),
            .CLKOP(clk), .CLKOS(clk90), .CLKOS2(), .CLKOS3(), .LOCK(pll_locked), .INTLOCK(), .REFCLK(), .CLKINTFB()
        );
    end
endgenerate
/* verilator lint_on PINCONNECTEMPTY */

// ---- resets: asserted asynchronously (button, PLL unlocked), released synchronously in each clock -----------------
wire rst_async = ~rst_n | ~pll_locked;
(* ASYNC_REG = "TRUE" *) reg [3:0] rst_sync_reg = 4'hf;
always @(posedge clk or posedge rst_async)
    if (rst_async) rst_sync_reg <= 4'hf;
    else rst_sync_reg <= {rst_sync_reg[2:0], 1'b0};
wire rst = rst_sync_reg[3];

(* ASYNC_REG = "TRUE" *) reg [3:0] rx_rst_sync_reg = 4'hf;
always @(posedge rgmii_rx_clk or posedge rst_async)
    if (rst_async) rx_rst_sync_reg <= 4'hf;
    else rx_rst_sync_reg <= {rx_rst_sync_reg[2:0], 1'b0};
wire rgmii_rx_rst = rx_rst_sync_reg[3];

// PHY reset: held low for 2^21 clocks (16.8 ms, the 88E1512 wants 10 ms) after the PLL locks
reg [21:0] phy_reset_count_reg = 22'd0;
always @(posedge clk)
    if (rst) phy_reset_count_reg <= 22'd0;
    else if (!phy_reset_count_reg[21]) phy_reset_count_reg <= phy_reset_count_reg + 22'd1;
assign phy_rst_n = phy_reset_count_reg[21];

// ---- RGMII receive: delay, then one DDR input cell per pin ----------------------------------------------------------
wire [3:0] rxd_rise, rxd_fall;
wire rx_ctl_rise, rx_ctl_fall;
wire [4:0] rx_pins = {rgmii_rx_ctl, rgmii_rxd};
wire [4:0] rx_delayed, rx_rise, rx_fall;
genvar i;
generate
    for (i = 0; i < 5; i = i + 1) begin : g_rx
        DELAYG #(.DEL_MODE("USER_DEFINED"), .DEL_VALUE(RX_DELAY_TAPS)) delay (.A(rx_pins[i]), .Z(rx_delayed[i]));
        IDDRX1F iddr (.D(rx_delayed[i]), .SCLK(rgmii_rx_clk), .RST(1'b0), .Q0(rx_rise[i]), .Q1(rx_fall[i]));
    end
endgenerate
assign rxd_rise = rx_rise[3:0];
assign rxd_fall = rx_fall[3:0];
assign rx_ctl_rise = rx_rise[4];
assign rx_ctl_fall = rx_fall[4];

// ---- RGMII transmit: one DDR output cell per pin, and the clock forwarded from clk90 ---------------------------------
wire [3:0] txd_rise, txd_fall;
wire tx_ctl_rise, tx_ctl_fall;
wire [4:0] tx_rise = {tx_ctl_rise, txd_rise}, tx_fall = {tx_ctl_fall, txd_fall};
wire [4:0] tx_pins;
generate
    for (i = 0; i < 5; i = i + 1) begin : g_tx
        ODDRX1F oddr (.SCLK(clk), .RST(1'b0), .D0(tx_rise[i]), .D1(tx_fall[i]), .Q(tx_pins[i]));
    end
endgenerate
assign rgmii_txd = tx_pins[3:0];
assign rgmii_tx_ctl = tx_pins[4];
ODDRX1F tx_clk_oddr (.SCLK(clk90), .RST(1'b0), .D0(1'b1), .D1(1'b0), .Q(rgmii_tx_clk));

// ---- the generated core ---------------------------------------------------------------------------------------------
wire [5:0] led;
fpga_core_ecp5_versa core (
    .clk(clk),
    .rst(rst),
    .rgmii_rx_clk(rgmii_rx_clk),
    .rgmii_rx_rst(rgmii_rx_rst),
    .rgmii_rxd_rise(rxd_rise),
    .rgmii_rxd_fall(rxd_fall),
    .rgmii_rx_ctl_rise(rx_ctl_rise),
    .rgmii_rx_ctl_fall(rx_ctl_fall),
    .rgmii_txd_rise(txd_rise),
    .rgmii_txd_fall(txd_fall),
    .rgmii_tx_ctl_rise(tx_ctl_rise),
    .rgmii_tx_ctl_fall(tx_ctl_fall),
    .pps(pps),
    .uart_rx(uart_rx),
    .uart_tx(uart_tx),
    .led(led)
);
assign led_n = ~{pll_locked, phy_rst_n, led};

endmodule

`resetall
