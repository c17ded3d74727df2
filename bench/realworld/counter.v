// A small design for bench/realworld.sh's Yosys workload: an 8-bit counter with load and enable,
// and a 16-bit accumulating multiplier, so synthesis has arithmetic to map.
module counter(input clk, input rst, input en, input load, input [7:0] d, input [7:0] a, input [7:0] b,
               output reg [7:0] q, output reg [15:0] acc);
  always @(posedge clk) begin
    if (rst) begin
      q <= 0;
      acc <= 0;
    end else begin
      if (load) q <= d;
      else if (en) q <= q + 1;
      acc <= acc + a * b;
    end
  end
endmodule
