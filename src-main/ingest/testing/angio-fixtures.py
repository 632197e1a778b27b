# Builds angiography test fixtures from one real DICOM image, because the shared samples carry no overlay planes, ECG,
# shutters, frame time vector, MONOCHROME1 or VOI LUT. Usage: /usr/bin/python3 angio-fixtures.py <source.dcm> <out-dir>
#
# Writes (pixels are the source's own stored values, subsampled):
#   import/run-overlay-ecg.dcm  4 frames 128×128, frame time vector, overlay planes 6000 (full size) and 6002 (37×53 at
#                               row 10, column 20), a pressure trace then a 2-channel ECG, rectangular+circular+polygonal display shutter,
#                               Burned In Annotation NO
#   import/mono1-voi-lut.dcm    256×256 MONOCHROME1 with a 12-bit VOI LUT (first mapped 40, 400 entries), no window,
#                               Burned In Annotation NO
#   import/mono1-window.dcm     256×256 MONOCHROME1 with a window, a rectangular X-ray collimator (no display
#                               shutter), Burned In Annotation YES
#   resent/mono1-voi-lut.dcm    the VOI LUT file again with the same SOP Instance UID but other bytes
# and prints {"files": {name: path}} as JSON. What the files hold is read back by the tests with pydicom, not from here.
import json
import math
import os
import sys

import numpy as np
import pydicom
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

XA_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.12.1'


def derived(source, stored, name):
    """A copy of the source's non-pixel attributes with new pixels (uint16 frames × rows × columns) and new UIDs."""
    ds = source.copy()
    for keyword in ('PixelData', 'NumberOfFrames', 'FrameIncrementPointer', 'FrameTime', 'WindowCenter', 'WindowWidth'):
        if keyword in ds:
            delattr(ds, keyword)
    frames, rows, columns = stored.shape
    ds.SOPClassUID = XA_IMAGE_STORAGE
    ds.SOPInstanceUID = generate_uid(entropy_srcs=[str(source.SOPInstanceUID), name])
    ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.is_little_endian = True
    ds.is_implicit_VR = False
    ds.Modality = 'XA'
    ds.Rows, ds.Columns = rows, columns
    ds.SamplesPerPixel = 1
    ds.BitsAllocated = 16
    ds.PixelRepresentation = 0
    if frames > 1:
        ds.NumberOfFrames = frames
    ds.add_new(0x7FE00010, 'OW', stored.astype('<u2').tobytes())
    return ds


def overlay(ds, group, bits, origin, kind, description):
    rows, columns = bits.shape
    packed = np.packbits(bits.reshape(-1).astype(np.uint8), bitorder='little')
    if packed.size % 2:
        packed = np.append(packed, np.uint8(0))
    tag = lambda element: (group << 16) | element  # noqa: E731
    ds.add_new(tag(0x0010), 'US', rows)
    ds.add_new(tag(0x0011), 'US', columns)
    ds.add_new(tag(0x0022), 'LO', description)
    ds.add_new(tag(0x0040), 'CS', kind)
    ds.add_new(tag(0x0050), 'SS', list(origin))
    ds.add_new(tag(0x0100), 'US', 1)
    ds.add_new(tag(0x0102), 'US', 0)
    ds.add_new(tag(0x3000), 'OW', packed.tobytes())


def code(value, scheme, meaning):
    item = Dataset()
    item.CodeValue, item.CodingSchemeDesignator, item.CodeMeaning = value, scheme, meaning
    return item


def waveform_group(label, frequency, sources, samples):
    """A multiplex group: one channel per (code value, scheme, meaning) source, samples as (n, channels) int16."""
    group = Dataset()
    group.MultiplexGroupTimeOffset = '0'
    group.WaveformOriginality = 'ORIGINAL'
    group.NumberOfWaveformChannels = len(sources)
    group.NumberOfWaveformSamples = samples.shape[0]
    group.SamplingFrequency = str(frequency)
    group.MultiplexGroupLabel = label
    channels = []
    for value, scheme, meaning in sources:
        channel = Dataset()
        channel.ChannelSourceSequence = Sequence([code(value, scheme, meaning)])
        channel.ChannelSensitivity = '0.005'
        channel.ChannelSensitivityUnitsSequence = Sequence([code('mV', 'UCUM', 'millivolt')])
        channel.ChannelSensitivityCorrectionFactor = '1'
        channel.ChannelBaseline = '0'
        channel.ChannelSampleSkew = '0'
        channel.WaveformBitsStored = 16
        channels.append(channel)
    group.ChannelDefinitionSequence = Sequence(channels)
    group.WaveformBitsAllocated = 16
    group.WaveformSampleInterpretation = 'SS'
    group.WaveformData = samples.astype('<i2').tobytes()
    return group


def ecg_waveform(samples=600, frequency=500):
    """Two leads of a synthetic ECG (R and S waves every 0.8 s over a slow baseline), channel-interleaved int16."""
    t = np.arange(samples) / frequency
    phase = (t % 0.8) - 0.2
    lead = 150 * np.sin(2 * math.pi * 1.2 * t) + 900 * np.exp(-(phase ** 2) / (2 * 0.01 ** 2)) - 250 * np.exp(-((phase - 0.04) ** 2) / (2 * 0.012 ** 2))
    first = np.round(lead).astype(np.int16)
    second = (37 - first // 2).astype(np.int16)
    leads = [('5.6.3-9-1', 'SCPECG', 'Lead I (Einthoven)'), ('5.6.3-9-2', 'SCPECG', 'Lead II')]
    return waveform_group('ECG', frequency, leads, np.stack([first, second], axis=1))


def pressure_waveform(samples=250, frequency=250):
    """An arterial pressure trace, written before the ECG: the app must not take it for the ECG."""
    t = np.arange(samples) / frequency
    trace = np.round(100 + 20 * np.sin(2 * math.pi * 1.2 * t)).astype(np.int16)
    return waveform_group('PRESSURE', frequency, [('2:19460', 'MDC', 'Arterial blood pressure')], trace[:, None])


def write(ds, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    ds.save_as(path, write_like_original=False)
    return path


def main(source_path, out):
    source = pydicom.dcmread(source_path)
    pixels = source.pixel_array
    if pixels.ndim == 3:
        pixels = pixels[0]
    files = {}

    # A short run: four subsampled views of the source, 128 × 128.
    step = max(1, pixels.shape[0] // 128)
    frames = np.stack([pixels[k::step, k::step][:128, :128] for k in range(4)])
    run = derived(source, frames, 'run-overlay-ecg')
    run.FrameIncrementPointer = 0x00181065
    run.FrameTimeVector = ['0', '33.3', '33.4', '66.7']
    run.BurnedInAnnotation = 'NO'
    rows, columns = np.mgrid[0:128, 0:128]
    overlay(run, 0x6000, ((rows * 7 + columns * 3) % 11 == 0) | (rows == columns), (1, 1), 'G', 'graphics: diagonal and lattice')
    small_rows, small_columns = np.mgrid[0:37, 0:53]
    overlay(run, 0x6002, (small_rows // 4 + small_columns // 5) % 2 == 1, (10, 20), 'R', 'region: checkerboard')
    run.WaveformSequence = Sequence([pressure_waveform(), ecg_waveform()])
    run.ShutterShape = ['RECTANGULAR', 'CIRCULAR', 'POLYGONAL']
    run.ShutterLeftVerticalEdge, run.ShutterRightVerticalEdge = 9, 120
    run.ShutterUpperHorizontalEdge, run.ShutterLowerHorizontalEdge = 6, 118
    run.CenterOfCircularShutter = [64, 63]
    run.RadiusOfCircularShutter = 58
    run.VerticesOfThePolygonalShutter = [5, 64, 64, 123, 123, 64, 64, 5]
    files['run'] = write(run, os.path.join(out, 'import', 'run-overlay-ecg.dcm'))

    # MONOCHROME1 with a VOI LUT that clips below its first mapped value and above its last entry.
    step = max(1, pixels.shape[0] // 256)
    still = pixels[::step, ::step][:256, :256][np.newaxis]
    lut_file = derived(source, still, 'mono1-voi-lut')
    lut_file.PhotometricInterpretation = 'MONOCHROME1'
    lut_file.BurnedInAnnotation = 'NO'
    entries, first_mapped = 400, 40
    lut = np.round(4095 * (np.arange(entries) / (entries - 1)) ** 0.5).astype('<u2')
    voi = Dataset()
    voi.add_new(0x00283002, 'US', [entries, first_mapped, 12])
    voi.LUTExplanation = 'square root'
    voi.add_new(0x00283006, 'OW', lut.tobytes())
    lut_file.VOILUTSequence = Sequence([voi])
    files['voiLut'] = write(lut_file, os.path.join(out, 'import', 'mono1-voi-lut.dcm'))

    # The same object sent again after a change: same SOP Instance UID, other bytes.
    resent = lut_file.copy()
    resent.InstanceNumber = int(resent.get('InstanceNumber', 1) or 1) + 100
    resent.ImageComments = 'resent after edit'
    files['resent'] = write(resent, os.path.join(out, 'resent', 'mono1-voi-lut.dcm'))

    windowed = derived(source, still, 'mono1-window')
    windowed.PhotometricInterpretation = 'MONOCHROME1'
    windowed.WindowCenter, windowed.WindowWidth = '180', '250'
    windowed.BurnedInAnnotation = 'YES'
    windowed.CollimatorShape = 'RECTANGULAR'
    windowed.CollimatorLeftVerticalEdge, windowed.CollimatorRightVerticalEdge = 12, 240
    windowed.CollimatorUpperHorizontalEdge, windowed.CollimatorLowerHorizontalEdge = 20, 230
    files['window'] = write(windowed, os.path.join(out, 'import', 'mono1-window.dcm'))

    print(json.dumps({'files': files}))


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
