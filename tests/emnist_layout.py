"""Write arrays in the official EMNIST layout, for tests and the synthetic stand-in.

The official ``gzip.zip`` holds ``gzip/emnist-letters-{train,test}-
{images-idx3,labels-idx1}-ubyte.gz``: IDX files, each image stored transposed,
labels 1..26. These helpers take upright images and labels 0..25, as
``emnist_data.load_emnist_letters`` returns them, and store them that way.
"""

import gzip
import struct
import zipfile
from pathlib import Path

import numpy as np

from emnist_data import EMNIST_FILES


def idx_bytes(array):
    """An IDX file's bytes: magic (0, 0, 0x08 for uint8, ndim), big-endian dims, data."""
    array = np.ascontiguousarray(array, dtype=np.uint8)
    return bytes([0, 0, 8, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape) + array.tobytes()


def official_files(train, test):
    """{file name: gzipped bytes} for (images, labels) pairs in the lesson's convention."""
    files = {}
    for split, (images, labels) in (("train", train), ("test", test)):
        images_name, labels_name = EMNIST_FILES[split]
        files[images_name] = gzip.compress(idx_bytes(np.asarray(images).swapaxes(1, 2)), mtime=0)
        files[labels_name] = gzip.compress(idx_bytes(np.asarray(labels) + 1), mtime=0)
    return files


def write_zip(path, files):
    """The official zip: every file under gzip/. Written uncompressed, as .gz is already compressed."""
    path = Path(path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for name, data in files.items():
            archive.writestr("gzip/" + name, data)
    return path


def write_folder(folder, files):
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder
