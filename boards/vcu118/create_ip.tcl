# Creates the one external IP of the VCU118 build: Xilinx's 10G/25G Ethernet Subsystem (xxv_ethernet) as the 10GBASE-R
# PCS/PMA only (the MACs are ours, in the generated core), 64-bit XGMII, on QSFP1 lane 1 (GTY quad 231, channel X1Y48),
# reference clock MGTREFCLK1 of the quad (156.25 MHz from the Si5328), control by ports (no AXI4-Lite).
# Sourced by build.tcl inside its project; the parameter names are PG210's.
create_ip -name xxv_ethernet -vendor xilinx.com -library ip -module_name xxv_ethernet_0
set_property -dict [list \
    CONFIG.CORE {Ethernet PCS/PMA 64-bit} \
    CONFIG.LINE_RATE {10} \
    CONFIG.NUM_OF_CORES {1} \
    CONFIG.BASE_R_KR {BASE-R} \
    CONFIG.INCLUDE_AXI4_INTERFACE {0} \
    CONFIG.INCLUDE_FEC_LOGIC {0} \
    CONFIG.INCLUDE_RSFEC_LOGIC {0} \
    CONFIG.ENABLE_TIME_STAMPING {0} \
    CONFIG.GT_REF_CLK_FREQ {156.25} \
    CONFIG.GT_DRP_CLK {125.00} \
    CONFIG.GT_TYPE {GTY} \
    CONFIG.GT_GROUP_SELECT {Quad_X1Y12} \
    CONFIG.LANE1_GT_LOC {X1Y48} \
    CONFIG.INCLUDE_SHARED_LOGIC {1} \
] [get_ips xxv_ethernet_0]
generate_target all [get_ips xxv_ethernet_0]
synth_ip [get_ips xxv_ethernet_0]
