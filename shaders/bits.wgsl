// Bit counts on 32-bit words (naga's countLeadingZeros/countOneBits take
// 32-bit operands only; the 64-bit versions in bits64.wgsl use these).

fn clz_u32(x: u32) -> u32 {
    return countLeadingZeros(x);
}

fn ones_u32(x: u32) -> u32 {
    return countOneBits(x);
}
