"""wgarray: NumPy-compatible arrays on any GPU wgpu reaches (Vulkan, Metal,
DX12, GL) or on the host CPU.

    import wgarray as wa
    x = wa.asarray([1.0, 2.0, 3.0], device="gpu")
    y = wa.exp(x) * 2 + 1
    y.get()          # a NumPy copy on the host
"""

from __future__ import annotations

import numpy as _np

from . import _native
from ._creation import (
    arange, array, asarray, asnumpy, empty, empty_like, eye, full, full_like, identity, linspace, ones,
    ones_like, zeros, zeros_like,
)
from ._device import Device, default_device, devices, evaluate, synchronize
from ._manipulation import (
    broadcast_to, expand_dims, matrix_transpose, permute_dims, reshape, squeeze, transpose,
)
from ._functions import (  # noqa: A004
    allclose, around, array_equal, array_split, atleast_1d, atleast_2d, atleast_3d, average, broadcast_arrays, clip,
    column_stack, concatenate, corrcoef, cov, cross, dot, einsum, dstack, flip, fliplr, flipud, hstack, inner, isclose, isin, meshgrid,
    moveaxis,
    nan_to_num, outer, roll, rot90, round, split, stack, swapaxes, tensordot, tile, tril, triu, vdot, vstack,
)
from . import linalg
from ._info import __array_namespace_info__
from ._take import compress, diag, diagonal, extract, pad, put, put_along_axis, repeat, take, take_along_axis, trace
from ._ndarray import ndarray
from ._reductions import (  # noqa: A004
    all, any, argmax, argmin, argwhere, count_nonzero, flatnonzero, nonzero, cumprod, cumsum, cumulative_prod, cumulative_sum, diff, max, mean, min,
    nanargmax, nanargmin, nancumprod, nancumsum, nanmax, nanmean, nanmin, nanprod, nanstd, nansum, nanvar, prod, ptp,
    std, sum, var, where,
)
from ._sorting import (  # noqa: A004
    argpartition, argsort, partition, searchsorted, sort, unique, unique_all, unique_counts, unique_inverse,
    unique_values,
)
from ._order_stats import bincount, histogram, median, percentile, quantile
from ._ufunc import build as _build_ufuncs
from ._ufunc import ufunc
from ._native import fusion

__version__ = "0.1.0"
__array_api_version__ = "2024.12"

bool_ = _np.bool_
bool = _np.bool_  # noqa: A001 — the array API's name
int8, int16, int32, int64 = _np.int8, _np.int16, _np.int32, _np.int64
uint8, uint16, uint32, uint64 = _np.uint8, _np.uint16, _np.uint32, _np.uint64
float16, float32, float64 = _np.float16, _np.float32, _np.float64
dtype = _np.dtype
newaxis = None

_UFUNCS, _ALIASES = _build_ufuncs()
globals().update(_UFUNCS)
globals().update(_ALIASES)
amax, amin = max, min

# The array API standard's (2024.12) signatures for the names it shares with
# NumPy, and the rest of its core namespace. ``np.f(array)`` keeps NumPy's
# signatures: __array_function__ dispatches through _np_functions.
from ._array_api import *  # noqa: E402, F401, F403, A004
from ._array_api import __all__ as _ARRAY_API_ALL  # noqa: E402

__all__ = [
    "__array_namespace_info__", "__array_api_version__",
    "Device", "devices", "default_device", "synchronize", "ndarray", "ufunc", "fusion", "evaluate",
    "asarray", "array", "asnumpy", "empty", "empty_like", "zeros", "zeros_like", "ones", "ones_like",
    "full", "full_like", "arange", "linspace", "eye", "identity",
    "sum", "prod", "max", "min", "amax", "amin", "any", "all", "mean", "var", "std", "ptp", "count_nonzero",
    "nansum", "nanprod", "nanmax", "nanmin", "nanmean", "nanvar", "nanstd", "argmax", "argmin", "nanargmax",
    "nanargmin", "diff", "where", "nonzero", "flatnonzero", "argwhere", "take", "take_along_axis", "compress",
    "extract", "put", "put_along_axis", "repeat", "diagonal", "diag", "trace", "pad", "isin", "cross", "cov", "einsum",
    "corrcoef", "linalg", "cumsum", "cumprod", "nancumsum", "nancumprod", "cumulative_sum",
    "cumulative_prod",
    "moveaxis", "swapaxes", "atleast_1d", "atleast_2d", "atleast_3d", "broadcast_arrays", "concatenate", "stack", "vstack", "hstack", "dstack", "column_stack", "split", "array_split", "flip", "fliplr", "flipud", "rot90", "roll", "tile", "meshgrid", "tril", "triu", "clip", "isclose", "allclose", "array_equal", "nan_to_num", "round", "around", "dot", "vdot", "inner", "outer", "tensordot", "average",
    "sort", "argsort", "partition", "argpartition", "searchsorted", "unique", "unique_all", "unique_counts",
    "unique_inverse", "unique_values", "median", "quantile", "percentile", "bincount", "histogram",
    "reshape", "transpose", "permute_dims", "matrix_transpose", "broadcast_to", "squeeze", "expand_dims",
    "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float16", "float32", "float64", "dtype", "newaxis",
] + sorted(_UFUNCS) + sorted(_ALIASES)
__all__ += [_n for _n in _ARRAY_API_ALL if _n not in __all__]
