// Builds the de-identification probe with pydicom: a small XA image that carries every attribute of PS3.15
// Table E.1-1 with a concrete tag, each with its own marker value valid for its VR, plus private tags, in a folder and
// file named with markers. The rows come from the standard's table, so the probe knows nothing of the app's profile.
import { runPython } from '../../testing/python-oracle.ts';
import { greyPixelsPython } from './grey-pixels-python.ts';

export interface TableRow {
  id: string;
  name: string;
  basicProfile: string;
}

export interface ProbeMarker {
  /** The table row ('00100010'), 'private', or 'path'. */
  row: string;
  name: string;
  /** Where the marker sits: the element's tag as ggggeeee, under its sequence's tag for item markers. */
  tag: string;
  vr: string;
  /** The value as pydicom wrote it (text; hex for binary values). */
  value: string;
  /** Long and distinctive enough (≥ 8 characters of text) to search raw bytes for without chance matches. */
  searchable: boolean;
}

const BUILD_PROBE = String.raw`
import datetime, json, sys, os
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.datadict import dictionary_VR
from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian
args = json.loads(sys.stdin.read())
XA = '1.2.840.10008.5.1.4.1.1.12.1'
markers = []

def note(row, name, tag, vr, value, searchable=True):
    shown = value.hex() if isinstance(value, bytes) else str(value)
    markers.append({'row': row, 'name': name, 'tag': '%08x' % tag, 'vr': vr, 'value': shown, 'searchable': searchable})

def vr_of(tag, name):
    try:
        return dictionary_VR(tag).split(' or ')[0]
    except KeyError:
        # Attributes newer than this pydicom: the VR their name implies.
        if name.endswith('Sequence'): return 'SQ'
        if name.endswith('UID'): return 'UI'
        if name.endswith('DateTime'): return 'DT'
        if name.endswith('Date') or name.startswith('Date of'): return 'DA'
        return 'LO'

def marker_date(i):
    return (datetime.date(1950, 1, 1) + datetime.timedelta(days=37 * i)).strftime('%Y%m%d')

def marker_for(vr, i):
    if vr == 'DA': return marker_date(i), True
    if vr == 'DT': return '%s123456.%06d' % (marker_date(i), 700000 + i), True
    if vr == 'TM': return '123456.%06d' % (700000 + i), True
    if vr == 'UI': return '1.3.6.1.4.1.99999.%d.7' % (1000 + i), True
    if vr == 'DS': return '9%04d.7031' % i, True
    if vr == 'IS': return '1%04d0077' % i, True
    if vr == 'AS': return '%03dW' % (i % 1000), False
    if vr in ('US', 'SS'): return 7000 + i, False
    if vr in ('UL', 'SL'): return 70000000 + i, False
    if vr in ('FL', 'FD'): return 7000.5 + i, False
    if vr in ('OB', 'OW', 'UN', 'OD', 'OF', 'OL', 'OV'): return ('MRK%04dZ' % i).encode(), True
    if vr == 'UR': return 'urn:MRK%04dZ' % i, True
    return 'MRK%04dZ' % i, True

ds = Dataset()
meta = FileMetaDataset()
rows = args['rows']
for i, row in enumerate(rows):
    rid, name, basic = row['id'], row['name'], row['basicProfile']
    if rid.startswith('gggg'):
        continue  # the private rule: private tags are added below
    concrete = rid.replace('50xxxxxx', '50002500').replace('60xx', '6000')
    tag = int(concrete, 16)
    group = tag >> 16
    if group == 0x0000:
        continue  # command elements (DIMSE) cannot occur in a stored object
    vr = vr_of(tag, name)
    if group == 0x0002:
        continue  # Media Storage SOP Instance UID: equals the SOP Instance UID's marker (set below)
    if vr == 'SQ':
        item = Dataset()
        if basic == 'X/Z/U*':
            item.ReferencedSOPClassUID = XA
            uid = '1.3.6.1.4.1.99999.%d.7' % (5000 + i)
            item.ReferencedSOPInstanceUID = uid
            note(rid, name + ' item', 0x00081155, 'UI', uid)
            item.add_new(0x00090010, 'LO', 'MRKPRIVNESTEDZ')
            item.add_new(0x00091010, 'LO', 'MRKP%04dZ' % i)
            note('private', 'private element in a standard sequence', 0x00091010, 'LO', 'MRKP%04dZ' % i)
        else:
            value = 'MRK%04dS' % i
            item.add_new(0x00080104, 'LO', value)
            note(rid, name + ' item', 0x00080104, 'LO', value)
        ds.add_new(tag, 'SQ', Sequence([item]))
        continue
    value, searchable = marker_for(vr, i)
    ds.add_new(tag, vr, value)
    note(rid, name, tag, vr, value, searchable)
    if rid == '50xxxxxx':
        data = ('MRK%04dC' % i).encode()
        ds.add_new(0x50003000, 'OB', data)
        note(rid, name, 0x50003000, 'OB', data)

# The overlay plane the 60xx rows need around their data and comments.
overlay = (ds[0x60003000].value * 4)[:32]
ds[0x60003000].value = overlay
ds[0x60003000].VR = 'OW'
ds.add_new(0x60000010, 'US', 16)
ds.add_new(0x60000011, 'US', 16)
ds.add_new(0x60000040, 'CS', 'G')
ds.add_new(0x60000050, 'SS', [1, 1])
ds.add_new(0x60000100, 'US', 1)
ds.add_new(0x60000102, 'US', 0)

# Private data: creator, text, unknown bytes and a private sequence.
ds.add_new(0x00190010, 'LO', 'MRKPRIVCREATORZ')
note('private', 'private creator', 0x00190010, 'LO', 'MRKPRIVCREATORZ')
ds.add_new(0x00191001, 'LO', 'MRKPRIV001Z')
note('private', 'private text', 0x00191001, 'LO', 'MRKPRIV001Z')
ds.add_new(0x00191002, 'UN', b'MRKPRIV002Z ')
note('private', 'private bytes', 0x00191002, 'UN', b'MRKPRIV002Z ')
item = Dataset()
item.add_new(0x00080104, 'LO', 'MRKPRIV003Z')
ds.add_new(0x00191003, 'SQ', Sequence([item]))
note('private', 'private sequence item', 0x00080104, 'LO', 'MRKPRIV003Z')

# What makes it an XA image the app decodes (none of these is in the table).
ds.SOPClassUID = XA
ds.Modality = 'XA'
ds.ImageType = ['ORIGINAL', 'PRIMARY', 'SINGLE PLANE']
${greyPixelsPython(16)}

meta.MediaStorageSOPClassUID = XA
meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
meta.TransferSyntaxUID = ImplicitVRLittleEndian if args['implicit'] else ExplicitVRLittleEndian
meta.ImplementationClassUID = '1.2.826.0.1.3680043.8.498.1'
ds.file_meta = meta
ds.is_little_endian = True
ds.is_implicit_VR = args['implicit']
folder = os.path.join(args['root'], args['folder'])
os.makedirs(folder, exist_ok=True)
path = os.path.join(folder, args['file'])
ds.save_as(path, write_like_original=False)
print(json.dumps({'path': path, 'markers': markers}))
`;

export const PATH_MARKERS = { folder: 'MRKDIRPATHZ', file: 'MRKFILEPATHZ.dcm' } as const;

/** Writes the probe under root/MRKDIRPATHZ/MRKFILEPATHZ.dcm (explicit VR, or implicit VR where the file does not
 * say which values are dates, names or UIDs) and returns its path and every marker it carries. */
export function buildProbe(rows: readonly TableRow[], root: string, encoding: 'explicit' | 'implicit' = 'explicit'): { path: string; markers: ProbeMarker[] } {
  return runPython(BUILD_PROBE, { rows, root, folder: PATH_MARKERS.folder, file: PATH_MARKERS.file, implicit: encoding === 'implicit' });
}

const SURVIVORS = String.raw`
import json, sys, pydicom
args = json.loads(sys.stdin.read())
ds = pydicom.dcmread(args['path'])
seen = set()
def shown(el):
    v = el.value
    if isinstance(v, bytes): return v.hex()
    if isinstance(v, pydicom.multival.MultiValue): return '\\'.join(str(x) for x in v)
    return str(v)
def walk(d):
    for el in d:
        if el.VR == 'SQ':
            for item in el.value: walk(item)
        elif el.tag != 0x7fe00010:
            seen.add(('%08x' % el.tag, shown(el)))
walk(ds)
walk(ds.file_meta)
survivors = [m for m in args['markers'] if (m['tag'], m['value']) in seen]
top = {('%08x' % el.tag): shown(el) for el in ds if el.VR != 'SQ'}
codes = [str(item.CodeValue) for item in ds.get((0x0012, 0x0064), pydicom.DataElement(0x00120064, 'SQ', [])).value]
method = ds[0x00120063].value if (0x0012, 0x0063) in ds else None
methods = [str(x) for x in method] if isinstance(method, pydicom.multival.MultiValue) else ([str(method)] if method is not None else [])
print(json.dumps({'survivors': survivors, 'top': top, 'codes': codes, 'methods': methods}))
`;

/** pydicom's reading of a de-identified copy: the markers still in it (same tag, same value, at any depth), its
 * top-level values, the (0012,0064) code values and the (0012,0063) values. */
export function markersIn(path: string, markers: readonly ProbeMarker[]): { survivors: ProbeMarker[]; top: Record<string, string>; codes: string[]; methods: string[] } {
  return runPython(SURVIVORS, { path, markers });
}
