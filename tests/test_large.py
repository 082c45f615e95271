"""Arrays larger than the adapter's storage-binding limit (lavapipe: 128 MiB)
and grids beyond 65535 workgroups, on every GPU; out-of-memory handling."""

import numpy as np
import pytest

import wgarray as wa

N = 1 << 27  # float32: 512 MiB


def test_512_mib_float32_create_fill_slice_cast_copy_read(gpu):
    limit = gpu.info["max_storage_buffer_binding_size"]
    if N * 4 <= limit:
        pytest.skip(f"binding limit {limit} is not below 512 MiB on this adapter")  # never on lavapipe
    x = wa.zeros(N, dtype=np.float32, device=gpu)
    assert x.nbytes == 512 << 20
    x[...] = 1.5  # fill: one strided-copy kernel, chunked over offsets
    x[N // 2 + 3 :: 1 << 20] = 7.0  # a strided write spanning chunks
    tail = x[-1000:]
    host_tail = tail.get()
    assert (host_tail == 1.5).all()
    h = x[::-(1 << 16)]  # negative-stride view across the whole buffer
    expected = np.full(N, 1.5, dtype=np.float32)
    expected[N // 2 + 3 :: 1 << 20] = 7.0
    np.testing.assert_array_equal(h.get(), expected[::-(1 << 16)])
    c = x.astype(np.float16)  # cast: 256 MiB out, chunked in and out
    part = slice(N // 2, N // 2 + (1 << 21))
    np.testing.assert_array_equal(c[part].get(), expected[part].astype(np.float16))
    del c
    y = x.copy()  # 512 MiB copy
    del x
    got = y.get()  # read back in chunks
    np.testing.assert_array_equal(got, expected)
    del got, y
    s = wa.ones(N, dtype=np.float32, device=gpu) + wa.full(N, 2.0, dtype=np.float32, device=gpu)
    assert float(s[N - 1]) == 3.0 and float(s[0]) == 3.0 and float(s[N // 3]) == 3.0


def test_512_mib_reductions_split_across_bindings(gpu):
    """Reductions reading more than one storage binding: halves along the
    axis that narrows them most, each half into its own partials."""
    limit = gpu.info["max_storage_buffer_binding_size"]
    if N * 4 <= limit:
        pytest.skip(f"binding limit {limit} is not below 512 MiB on this adapter")  # never on lavapipe
    rng = np.random.default_rng(8)
    h = rng.standard_normal((1 << 14, 1 << 13)).astype(np.float32)
    x = wa.asarray(h, device=gpu)
    exact = h.astype(np.float64)
    bound = 1e-5 * np.abs(exact).sum()  # far above a pairwise sum's error, far below a lost block
    assert abs(float(wa.sum(x)) - exact.sum()) < bound
    col = wa.sum(x, axis=0).get()  # kept axis inner: the reduced axis is split
    np.testing.assert_allclose(col, exact.sum(axis=0), rtol=0, atol=1e-5 * np.abs(exact).sum(axis=0).max())
    np.testing.assert_array_equal(wa.max(x, axis=1).get(), h.max(axis=1))  # kept axis outer: it is split
    v = x.T[::-1, 5:]  # transposed, reversed, offset: read in place
    np.testing.assert_allclose(wa.mean(v, axis=1).get(), exact.T[::-1, 5:].mean(axis=1), rtol=1e-5, atol=1e-6)
    assert bool(wa.all(wa.isfinite(x)))


def test_scans_over_views_spanning_512_mib(gpu):
    """Scans whose reads span more than one storage binding (strided views of
    a 512 MiB array, so little work): split across rows (each half its own
    outputs) or along the scanned axis (halves scanned apart, the second
    continued from the first's last values)."""
    limit = gpu.info["max_storage_buffer_binding_size"]
    if N * 4 <= limit:
        pytest.skip(f"binding limit {limit} is not below 512 MiB on this adapter")  # never on lavapipe
    rng = np.random.default_rng(9)
    h = rng.integers(-3, 4, (1 << 14, 1 << 13)).astype(np.float32)  # small integers: every cumsum exact
    h[77, 5 * 512] = np.nan
    x = wa.asarray(h, device=gpu)
    flat, hflat = x.reshape(-1), h.reshape(-1)
    cases = [
        ("one row, reversed", flat[::-64], hflat[::-64], 0),
        ("many rows, along the scanned axis", x[:, ::512], h[:, ::512], 0),
        ("rows far apart", x[::1024], h[::1024], 1),
    ]
    for name, v, hv, axis in cases:
        np.testing.assert_array_equal(wa.cumsum(v, axis=axis).get(), np.cumsum(hv, axis=axis), err_msg=name)
        np.testing.assert_array_equal(wa.maximum.accumulate(v, axis=axis).get(), np.maximum.accumulate(hv, axis=axis), err_msg=name)


def test_grid_beyond_65535_workgroups(gpu):
    n = 65536 * 256 + 77  # more than 65535 workgroups of 256
    x = wa.arange(n, dtype=np.int32, device=gpu)
    y = x * 3 + 1
    got = y.get()
    assert got[-1] == (n - 1) * 3 + 1 and got[12345678] == 12345678 * 3 + 1
    np.testing.assert_array_equal(got[::9973], np.arange(n, dtype=np.int32)[::9973] * 3 + 1)
    b = wa.zeros(n, dtype=np.uint8, device=gpu)
    b[1::2] = 5  # byte-compact, strided: atomic writes
    hb = b.get()
    assert hb[1::2].min() == 5 and hb[::2].max() == 0


def test_out_of_memory_raises_memory_error_and_recovers(device):
    with pytest.raises(MemoryError, match=f"Unable to allocate .* bytes on device {device.name}"):
        wa.empty(2**45, dtype=np.float32, device=device)
    with pytest.raises(MemoryError):
        wa.zeros((2**30, 2**20), dtype=np.uint8, device=device)
    x = wa.ones(10, device=device)
    assert float(x[3]) == 1.0


def test_sizes_past_the_address_space_raise_value_error(device):
    with pytest.raises(ValueError, match="array is too big"):
        wa.empty((2**40, 2**40), dtype=np.float32, device=device)


def test_1_gib_in_order_reductions_split_along_the_reduced_axis(gpu):
    """A 1 GiB float32 array (8x lavapipe's binding limit) folded in order
    (subtract.reduce is not reorderable): the reduced axis is split across
    bindings, the first part folding into the output and each later part
    resuming from it; and along the other axis, where the kept axis splits.
    Then reduceat, tree reductions, fused expressions, tree and in-order
    scans and a copy over the same gigabyte. Small integer values keep every fold exact."""
    limit = gpu.info["max_storage_buffer_binding_size"]
    rows, cols = 1 << 15, 1 << 13
    if rows * cols * 4 <= 2 * limit:
        pytest.skip(f"binding limit {limit} is not below 512 MiB on this adapter")  # never on lavapipe
    rng = np.random.default_rng(10)
    h = rng.integers(-3, 4, (rows, cols), dtype=np.int8)
    x = wa.asarray(h, device=gpu).astype(np.float32)
    assert x.nbytes == 1 << 30
    want0 = h[0].astype(np.int64) - h[1:].sum(axis=0, dtype=np.int64)
    np.testing.assert_array_equal(np.subtract.reduce(x, axis=0).get(), want0.astype(np.float32))
    part = x[:, : 1 << 10]  # rows of 1,024 spread over the whole gigabyte
    want1 = h[:, 0].astype(np.int64) - h[:, 1 : 1 << 10].sum(axis=1, dtype=np.int64)
    np.testing.assert_array_equal(np.subtract.reduce(part, axis=1).get(), want1.astype(np.float32))
    # reduceat along the long axis: ranges of it folded one binding at a
    # time, segments that straddle two ranges resumed from their partial sums.
    idx = [0, 5, 16383, 16384, 30000, 29999]
    want = np.add.reduceat(h.astype(np.int64), idx, axis=0).astype(np.float32)
    np.testing.assert_array_equal(np.add.reduceat(x, idx, axis=0).get(), want)
    np.testing.assert_array_equal(np.maximum.reduceat(x[:, ::7], idx, axis=0).get(), np.maximum.reduceat(h[:, ::7], idx, axis=0).astype(np.float32))
    total = int(h.sum(dtype=np.int64))
    assert float(wa.sum(x)) == total
    # A fused expression over the gigabyte: computed in chunks of one
    # binding (its leaf is too wide for a fused reduction), then summed.
    # (Zero-mean values: every partial sum stays exact in float32.)
    assert float(wa.sum(x * 3 + x)) == 4 * total
    assert float(wa.max(x * 2 - 1)) == 5.0
    # Scans whose reads span the gigabyte: a tree (cumsum) and in order
    # (subtract.accumulate: each row's second half resumes from its first),
    # over one long row and over 16 columns; then a 1 GiB copy.
    cols16, hcols16 = x[:, ::512], h[:, ::512].astype(np.float32)
    np.testing.assert_array_equal(wa.cumsum(cols16, axis=0).get(), np.cumsum(hcols16, axis=0))
    np.testing.assert_array_equal(np.subtract.accumulate(cols16, axis=0).get(), np.subtract.accumulate(hcols16, axis=0))
    line, hline = x.reshape(-1)[::-4096], h.reshape(-1)[::-4096].astype(np.float32)
    np.testing.assert_array_equal(np.subtract.accumulate(line).get(), np.subtract.accumulate(hline))
    y = x.copy()
    del x
    np.testing.assert_array_equal(y[::4099, ::1001].get(), h[::4099, ::1001].astype(np.float32))
    assert float(y[-1, -1]) == h[-1, -1]


def test_gathers_from_and_into_512_mib(gpu):
    """take and integer-array indexing whose source, indices and output are
    each wider than one binding: the output and indices split along the
    index array's first axis, the source gathered window by window (each
    element written by the launch whose window holds its index)."""
    limit = gpu.info["max_storage_buffer_binding_size"]
    if N * 4 <= limit:
        pytest.skip(f"binding limit {limit} is not below 512 MiB on this adapter")  # never on lavapipe
    h = (np.arange(N, dtype=np.int64) % 1000003).astype(np.float32)  # exact in float32
    x = wa.asarray(h, device=gpu)
    # 2**26 int32 positions (256 MiB, so is the output) spread over the whole source.
    hi = ((np.arange(1 << 26, dtype=np.int64) * 7919 + 11) % N).astype(np.int32)
    i = wa.asarray(hi, device=gpu)
    got = wa.take(x, i).get()
    np.testing.assert_array_equal(got, h[hi])
    del got
    # Two index axes (rows split), int64 positions counted from the end, a strided source view.
    rows = hi[: 1 << 22].reshape(1 << 11, 1 << 11).astype(np.int64) - N
    np.testing.assert_array_equal(x[wa.asarray(rows, device=gpu)].get(), h[rows])
    v = x[1::2]
    few = np.array([0, 5, N // 2 - 1, N // 4, 12345], dtype=np.int64)
    np.testing.assert_array_equal(v[wa.asarray(few, device=gpu)].get(), h[1::2][few])


def test_scatters_from_and_into_256_mib(gpu):
    """Boolean compaction, nonzero and integer-array assignment whose
    sources, destinations and outputs are wider than one binding: split
    into rows of the iteration and windows of the output (each element
    written by the launch whose window holds its destination)."""
    limit = gpu.info["max_storage_buffer_binding_size"]
    n = N // 2  # float32: 256 MiB
    if n * 4 <= limit:
        pytest.skip(f"binding limit {limit} is not below 256 MiB on this adapter")  # never on lavapipe
    h = (np.arange(n, dtype=np.int64) % 1000003).astype(np.float32)
    h[::3] *= -1
    x = wa.asarray(h, device=gpu)
    np.testing.assert_array_equal(x[x > 0].get(), h[h > 0])  # about 170 MiB kept
    m = np.arange(n) % 3 == 1
    np.testing.assert_array_equal(wa.flatnonzero(wa.asarray(m, device=gpu)).get(), np.flatnonzero(m))  # 170 MiB of int64
    y = wa.zeros(n, dtype=np.float32, device=gpu)
    where = ((np.arange(1 << 25, dtype=np.int64) * 7919 + 11) % n).astype(np.int32)  # distinct positions
    vals = h[: 1 << 25]
    y[wa.asarray(where, device=gpu)] = wa.asarray(vals, device=gpu)
    want = np.zeros(n, dtype=np.float32)
    want[where] = vals
    np.testing.assert_array_equal(y.get(), want)


def test_sorts_whose_keys_span_more_than_one_binding(gpu):
    """2.5M rows of 16 int8: the sort's keys and positions (160 MiB each)
    are wider than lavapipe's binding, so rows are sorted in groups that
    fit one; stable like NumPy's."""
    limit = gpu.info["max_storage_buffer_binding_size"]
    rows = (1 << 21) + (1 << 19)
    if rows * 16 * 4 <= limit:
        pytest.skip(f"binding limit {limit} is not below 160 MiB on this adapter")  # never on lavapipe
    h = np.random.default_rng(3).integers(-100, 100, (rows, 16), dtype=np.int8)
    x = wa.asarray(h, device=gpu)
    np.testing.assert_array_equal(wa.sort(x, axis=1).get(), np.sort(h, axis=1))
    got = wa.argsort(x, axis=1).astype(np.int8).get()
    np.testing.assert_array_equal(got, np.argsort(h, axis=1, kind="stable").astype(np.int8))


def test_a_long_sort_row_near_the_binding_limit(gpu):
    """A 1-D float32 argsort of 2**24 + 4099 elements (the radix sort: two
    64 MiB key buffers, 16,389 tiles per pass; the bitonic network would pad
    it to 2**25); stable like NumPy's, NaNs last, -0.0 equal to 0.0. Rows
    wider than a binding (sorted in chunks) are tested in Rust with a
    shrunk binding room (gpu_sort.rs), at a size lavapipe sorts quickly."""
    n = (1 << 24) + 4099
    h = np.random.default_rng(5).integers(-1000, 1000, n).astype(np.float32) / 8  # many ties
    h[::1001] = np.nan
    h[3::997] = 0.0
    h[5::991] = -0.0
    got = wa.argsort(wa.asarray(h, device=gpu)).get()
    np.testing.assert_array_equal(got, np.argsort(h, kind="stable"))
