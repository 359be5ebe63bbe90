"""Oracle for `segment --z stitch`: reads a 3D label stack TIFF with tifffile (as Fiji-style ImageJ metadata) and
measures its labels with scikit-image's 3D regionprops. Prints JSON: the ImageJ metadata tifffile found, the page
count and dtype, and per label its voxel count, centroid (z, y, x) and first/last plane. The pixels are decoded by
tifffile, or by Pillow where tifffile lacks imagecodecs for LZW.

usage: stack_skimage.py STACK.tif
"""
import json
import sys

import numpy
import tifffile
from skimage.measure import regionprops


def pillow_pages(path):
    from PIL import Image, ImageSequence
    with Image.open(path) as image:
        return numpy.stack([numpy.array(page) for page in ImageSequence.Iterator(image)])


with tifffile.TiffFile(sys.argv[1]) as tif:
    meta = tif.imagej_metadata or {}
    pages = len(tif.pages)
    try:
        stack = tif.asarray()
    except ValueError as e:  # "<COMPRESSION.LZW: 5> requires the 'imagecodecs' package"
        if "imagecodecs" not in str(e):
            raise
        stack = pillow_pages(sys.argv[1])
print(json.dumps({
    "imagej": bool(meta),
    "slices": meta.get("slices"),
    "images": meta.get("images"),
    "pages": pages,
    "dtype": str(stack.dtype),
    "shape": list(stack.shape),
    "labels": [
        {"label": int(r.label), "volume": int(r.area), "centroid": [float(c) for c in r.centroid],
         "z_first": int(r.bbox[0]), "z_last": int(r.bbox[3]) - 1}
        for r in regionprops(stack.astype("int64"))
    ],
}))
