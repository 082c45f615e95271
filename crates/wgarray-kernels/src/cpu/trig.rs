//! sin, cos and tan for the CPU device. Arguments below 2^20 go to the
//! platform's libm, as NumPy's do; float64 arguments beyond are reduced by
//! our own Payne–Hanek, the method of `shaders/trig_f64.wgsl` (whose bits of
//! 2/π are read from that file), because glibc's reduction is off by 8–14 ulp
//! at the doubles closest to a multiple of π/2.

use std::sync::OnceLock;

/// Where the libm's own reduction stops being trusted.
const BIG: f64 = 1048576.0;

/// π/2 as a double-double.
const PIO2_HI: f64 = std::f64::consts::FRAC_PI_2;
const PIO2_LO: f64 = 6.123233995736766e-17;

/// The bits of 2/π, 32 at a time, as `shaders/trig_f64.wgsl` lists them.
fn two_over_pi() -> &'static [u32] {
    static WORDS: OnceLock<Vec<u32>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let src = include_str!("../../../../shaders/trig_f64.wgsl");
        let start = src.find("TWO_OVER_PI: array<u32, 40> = array<u32, 40>(").expect("2/pi table in trig_f64.wgsl");
        let body = &src[start..];
        let body = &body[body.find('(').unwrap() + 1..body.find(");").unwrap()];
        body.split(',')
            .map(|w| w.trim().trim_end_matches('u'))
            .filter(|w| !w.is_empty())
            .map(|w| u32::from_str_radix(w.trim_start_matches("0x"), 16).expect("hex word"))
            .collect()
    })
}

/// |x| = q (π/2) + hi + lo for finite |x| >= 2^20, q in 0..4, |hi| <= π/4.
fn reduce(x: f64) -> (u32, f64, f64) {
    let bits = x.to_bits();
    let e = ((bits >> 52) & 0x7FF) as i32 - 1023;
    let m = (bits & 0x000F_FFFF_FFFF_FFFF) | 0x0010_0000_0000_0000;
    // A 224-bit window of 2/π: the bits before it add multiples of 4.
    let w0 = if e >= 54 { ((e - 54) / 32) as usize } else { 0 };
    let table = two_over_pi();
    let (m0, m1) = (m & 0xFFFF_FFFF, m >> 32);
    let mut p = [0u32; 9]; // little-endian limbs of m times the window
    let mut carry = 0u64;
    for k in 0..7 {
        let t = table[w0 + 6 - k] as u64 * m0 + carry;
        p[k] = t as u32;
        carry = t >> 32;
    }
    p[7] = carry as u32;
    carry = 0;
    for k in 0..7 {
        let t = table[w0 + 6 - k] as u64 * m1 + p[k + 1] as u64 + carry;
        p[k + 1] = t as u32;
        carry = t >> 32;
    }
    p[8] = p[8].wrapping_add(carry as u32);
    // The product is P * 2^-b0: bit b0 is the units bit.
    let b0 = (32 * (w0 as i32 + 7) + 52 - e) as usize;
    let bit = |i: usize| -> u128 { ((p[i / 32] >> (i % 32)) & 1) as u128 };
    let mut q = (bit(b0) | bit(b0 + 1) << 1) as u32;
    let mut frac: u128 = 0;
    for i in (b0 - 128..b0).rev() {
        frac = frac << 1 | bit(i);
    }
    let mut neg = false;
    if frac >> 127 == 1 {
        // Fraction >= 1/2: the next quadrant, with a negative remainder.
        q = (q + 1) & 3;
        neg = true;
        frac = frac.wrapping_neg();
    }
    if frac == 0 {
        return (q, 0.0, 0.0);
    }
    let lz = frac.leading_zeros() as i32;
    let n = frac << lz;
    let f_hi = (n >> 75) as u64 as f64 * 2f64.powi(-53 - lz);
    let f_lo = ((n << 53) >> 64) as u64 as f64 * 2f64.powi(-53 - 64 - lz);
    let r_hi = f_hi * PIO2_HI;
    let r_lo = f_hi.mul_add(PIO2_HI, -r_hi) + (f_hi * PIO2_LO + f_lo * PIO2_HI);
    let hi = r_hi + r_lo;
    let lo = r_lo - (hi - r_hi);
    if neg { (q, -hi, -lo) } else { (q, hi, lo) }
}

/// The float types' sin, cos and tan: float32 straight from libm (its
/// reduction is exact for every float32), float64 through the functions below.
pub trait Trig: Copy {
    fn sin_(self) -> Self;
    fn cos_(self) -> Self;
    fn tan_(self) -> Self;
}

impl Trig for f32 {
    fn sin_(self) -> Self { self.sin() }
    fn cos_(self) -> Self { self.cos() }
    fn tan_(self) -> Self { self.tan() }
}

impl Trig for f64 {
    fn sin_(self) -> Self { sin_f64(self) }
    fn cos_(self) -> Self { cos_f64(self) }
    fn tan_(self) -> Self { tan_f64(self) }
}

/// sin and cos of hi + lo (|hi| <= π/4, lo below hi's last bit), first order in lo.
fn sin_cos(hi: f64, lo: f64) -> (f64, f64) {
    let (s, c) = (hi.sin(), hi.cos());
    (s + lo * c, c - lo * s)
}

pub fn sin_f64(x: f64) -> f64 {
    if !(x.abs() >= BIG) || x.is_infinite() {
        return x.sin();
    }
    let (q, hi, lo) = reduce(x.abs());
    let (s, c) = sin_cos(hi, lo);
    let r = [s, c, -s, -c][q as usize];
    if x < 0.0 { -r } else { r }
}

pub fn cos_f64(x: f64) -> f64 {
    if !(x.abs() >= BIG) || x.is_infinite() {
        return x.cos();
    }
    let (q, hi, lo) = reduce(x.abs());
    let (s, c) = sin_cos(hi, lo);
    [c, -s, -c, s][q as usize]
}

pub fn tan_f64(x: f64) -> f64 {
    if !(x.abs() >= BIG) || x.is_infinite() {
        return x.tan();
    }
    let (q, hi, lo) = reduce(x.abs());
    let t = hi.tan();
    let t = t + lo * (1.0 + t * t);
    let r = if q & 1 == 1 { -1.0 / t } else { t };
    if x < 0.0 { -r } else { r }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_read_whole() {
        let t = two_over_pi();
        assert_eq!(t.len(), 40);
        assert_eq!(t[0], 0xa2f9836e);
    }

    #[test]
    fn large_arguments_agree_with_libm_where_it_is_accurate() {
        for &x in &[1.0e7, 3.0e10, 1.0e22, 1.0e300, -7.5e15, 2.0f64.powi(60) + 12345.0] {
            for (ours, libm) in [(sin_f64(x), x.sin()), (cos_f64(x), x.cos()), (tan_f64(x), x.tan())] {
                let ulp = (ours - libm).abs() / (libm.abs() * f64::EPSILON);
                assert!(ulp <= 2.0, "{x}: {ours} vs {libm}");
            }
        }
    }

    #[test]
    fn the_hardest_double_is_right() {
        // 6381956970095103 * 2^797 is within 2^-61 of a multiple of pi/2;
        // its cosine is -4.687165924254628e-19 (to 17 digits, from mpmath).
        let x = 6381956970095103.0 * 2f64.powi(797);
        let c = cos_f64(x);
        assert!((c - -4.687165924254628e-19).abs() <= 2.0 * 4.687165924254628e-19 * f64::EPSILON, "{c}");
    }
}
