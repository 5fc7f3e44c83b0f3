# Vivado batch build of the ntsfab VCU118 board: vivado -mode batch -source build.tcl -tclargs <build directory>
# The build directory is what `ntsfab build --board vcu118` writes: rtl/ (the generated core, one module per file),
# fpga_vcu118.v, fpga_vcu118.xdc, create_ip.tcl and this script. Produces fpga_vcu118.bit and the utilization and
# timing reports next to them. Vivado is not part of this repository's flow here (not installable from Debian);
# the script is kept complete so that a machine with Vivado (2020.2 or later, with the xxv_ethernet licence) runs it as is.
set dir [file normalize [lindex $argv 0]]
set part xcvu9p-flga2104-2L-e
create_project -force -part $part fpga_vcu118 [file join $dir vivado]
set boards [get_board_parts -quiet xilinx.com:vcu118:*]
if {[llength $boards]} { set_property board_part [lindex $boards end] [current_project] }
source [file join $dir create_ip.tcl]
add_files [glob [file join $dir rtl *.v]]
add_files [file join $dir fpga_vcu118.v]
add_files -fileset constrs_1 [file join $dir fpga_vcu118.xdc]
set_property top fpga_vcu118 [current_fileset]
# the core's constraints (clocks, crossings) are written for the top-level; they are part of fpga_vcu118.xdc
synth_design -top fpga_vcu118 -part $part
opt_design
place_design
phys_opt_design
route_design
report_utilization -file [file join $dir fpga_vcu118_utilization.rpt]
report_utilization -hierarchical -hierarchical_depth 3 -file [file join $dir fpga_vcu118_utilization_hier.rpt]
report_timing_summary -max_paths 20 -file [file join $dir fpga_vcu118_timing.rpt]
report_cdc -file [file join $dir fpga_vcu118_cdc.rpt]
if {[get_property SLACK [get_timing_paths -max_paths 1 -nworst 1 -setup]] < 0} {
    puts "ntsfab: TIMING NOT MET (see fpga_vcu118_timing.rpt)"
}
write_bitstream -force [file join $dir fpga_vcu118.bit]
