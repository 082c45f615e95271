// Bit counts on 64-bit words, from their 32-bit halves.

fn clz_u64(x: u64) -> u32 {
    let hi = u32(x >> 32u);
    if (hi != 0u) { return clz_u32(hi); }
    return 32u + clz_u32(u32(x & 0xFFFFFFFFlu));
}

fn ones_u64(x: u64) -> u32 {
    return ones_u32(u32(x >> 32u)) + ones_u32(u32(x & 0xFFFFFFFFlu));
}
