// T.81 Annex H (lossless): each sample is a Huffman-coded difference category plus extra bits, added modulo 2^16
// to a prediction from its decoded neighbours; the first row of a scan and of each restart interval, and the first
// column of every row, use the fixed predictions H.1.2.1 prescribes. Streams are untrusted: every read is bounded.
#include "jpeg/lossless_decoder.h"

#include <array>
#include <climits>
#include <cstring>

namespace angio::jpeg {
namespace {

constexpr int kFastBits = 9;
// 2^28 samples (512 MiB of 16-bit output) is far beyond any frame the app meets: a damaged header claiming more is
// refused before anything is allocated.
constexpr std::size_t kMaxSamples = std::size_t{1} << 28;

[[noreturn]] void Fail(const std::string& message) { throw LosslessError(message); }

struct HuffmanTable {
  bool defined = false;
  /** Indexed by the next kFastBits bits: (code length << 8) | symbol, or 0 when the code is longer. */
  std::array<std::uint16_t, 1 << kFastBits> fast{};
  /** Largest code of each length (1–16), -1 when none; index 17 is a sentinel that ends the search. */
  std::array<std::int32_t, 18> maxCode{};
  /** Position in `symbols` of a length's first code, minus that code. */
  std::array<std::int32_t, 17> offset{};
  std::array<std::uint8_t, 256> symbols{};
};

void BuildTable(HuffmanTable& table, const std::uint8_t* counts, const std::uint8_t* symbols, int total) {
  table = HuffmanTable{};
  std::memcpy(table.symbols.data(), symbols, static_cast<std::size_t>(total));
  std::int32_t code = 0;
  int index = 0;
  for (int length = 1; length <= 16; length++) {
    const int count = counts[length - 1];
    table.offset[length] = index - code;
    for (int i = 0; i < count; i++, index++, code++) {
      // A length's codes must fit in that many bits (a table claiming more is damaged).
      if (code >= (1 << length)) Fail("Huffman table has more codes of length " + std::to_string(length) + " than fit");
      if (length <= kFastBits) {
        const int shift = kFastBits - length;
        const auto entry = static_cast<std::uint16_t>((length << 8) | symbols[index]);
        for (int fill = 0; fill < (1 << shift); fill++) table.fast[static_cast<std::size_t>((code << shift) | fill)] = entry;
      }
    }
    table.maxCode[length] = count > 0 ? code - 1 : -1;
    code <<= 1;
  }
  table.maxCode[17] = INT32_MAX;
  table.defined = true;
}

/** Entropy-coded bits of one scan, most significant first, 0xFF00 unstuffed; zeros once a marker or the end is met. */
class BitReader {
 public:
  BitReader(const std::uint8_t* at, const std::uint8_t* end) : at_(at), end_(end) {}

  /** Keeps at least 57 bits buffered: one sample (code ≤ 16 + extra bits ≤ 16) never needs a refill midway. */
  void Fill() {
    while (bits_ <= 56) {
      std::uint64_t byte = 0;
      if (!atMarker_ && at_ < end_) {
        if (*at_ != 0xFF) {
          byte = *at_++;
        } else if (at_ + 1 < end_ && at_[1] == 0x00) {
          byte = 0xFF;
          at_ += 2;
        } else {
          atMarker_ = true;
        }
      }
      buffer_ |= byte << (56 - bits_);
      bits_ += 8;
    }
  }

  int Decode(const HuffmanTable& table) {
    const std::uint16_t entry = table.fast[static_cast<std::size_t>(buffer_ >> (64 - kFastBits))];
    if (entry != 0) {
      Skip(entry >> 8);
      return entry & 0xFF;
    }
    int length = kFastBits + 1;
    auto code = static_cast<std::int32_t>(buffer_ >> (64 - length));
    while (code > table.maxCode[static_cast<std::size_t>(length)]) {
      length++;
      if (length > 16) Fail("entropy-coded data holds a code that is not in the Huffman table");
      code = static_cast<std::int32_t>(buffer_ >> (64 - length));
    }
    Skip(length);
    const std::int32_t index = table.offset[static_cast<std::size_t>(length)] + code;
    if (index < 0 || index > 255) Fail("entropy-coded data holds a code that is not in the Huffman table");
    return table.symbols[static_cast<std::size_t>(index)];
  }

  /** The difference of category `ssss` (T.81 H.1.2.2: 16 means 32768 with no extra bits). */
  std::int32_t Difference(int ssss) {
    if (ssss == 0) return 0;
    if (ssss == 16) return 32768;
    if (ssss > 16) Fail("difference category " + std::to_string(ssss) + " exceeds 16");
    const auto value = static_cast<std::int32_t>(buffer_ >> (64 - ssss));
    Skip(ssss);
    return value < (1 << (ssss - 1)) ? value - (1 << ssss) + 1 : value;
  }

  /** Where marker parsing resumes: at the marker that ended the entropy-coded data (or the end). */
  const std::uint8_t* Position() {
    while (!atMarker_ && at_ < end_) {
      if (*at_ == 0xFF && !(at_ + 1 < end_ && at_[1] == 0x00)) break;
      at_ += *at_ == 0xFF ? 2 : 1;
    }
    return at_;
  }

  /** After a restart interval: the next marker must be RSTn; decoding restarts byte-aligned after it. */
  void Restart(int expected) {
    const std::uint8_t* at = Position();
    while (at + 1 < end_ && at[0] == 0xFF && at[1] == 0xFF) at++;
    if (at + 1 >= end_) Fail("stream ends where restart marker RST" + std::to_string(expected) + " was due");
    if (at[1] != 0xD0 + expected) Fail("expected restart marker RST" + std::to_string(expected) + ", found 0xFF" + Hex(at[1]));
    at_ = at + 2;
    atMarker_ = false;
    buffer_ = 0;
    bits_ = 0;
  }

  int Bits() const { return bits_; }

  static std::string Hex(std::uint8_t byte) {
    static const char* digits = "0123456789ABCDEF";
    return std::string{digits[byte >> 4], digits[byte & 15]};
  }

 private:
  void Skip(int count) {
    buffer_ <<= count;
    bits_ -= count;
  }

  const std::uint8_t* at_;
  const std::uint8_t* end_;
  std::uint64_t buffer_ = 0;
  int bits_ = 0;
  bool atMarker_ = false;
};

struct FrameComponent {
  int id = 0;
  int pointTransform = 0;
  bool decoded = false;
};

struct Decoder {
  Decoder(const std::uint8_t* bytes, std::size_t length) : data(bytes), size(length) {}

  const std::uint8_t* data;
  std::size_t size;
  std::size_t at = 0;
  std::array<HuffmanTable, 4> tables{};
  std::vector<FrameComponent> components;
  int restartInterval = 0;
  bool haveFrame = false;
  LosslessImage image;

  std::uint16_t Word() {
    if (at + 2 > size) Fail("stream ends inside a marker segment");
    const auto value = static_cast<std::uint16_t>((data[at] << 8) | data[at + 1]);
    at += 2;
    return value;
  }

  /** The payload of the segment at `at` (after its 2-byte length); moves `at` past it. */
  std::pair<const std::uint8_t*, std::size_t> Segment(const char* name) {
    const std::size_t length = Word();
    if (length < 2 || at + length - 2 > size) Fail(std::string(name) + " segment length runs past the end of the stream");
    const std::uint8_t* payload = data + at;
    at += length - 2;
    return {payload, length - 2};
  }

  void ReadFrame(int marker) {
    if (marker != 0xC3) {
      Fail("not JPEG lossless process 14: the frame is SOF" + std::to_string(marker - 0xC0) +
           (marker == 0xC7 || marker == 0xCF ? " (differential, hierarchical)" : marker >= 0xC9 ? " (arithmetic coding)" : " (DCT)"));
    }
    if (haveFrame) Fail("stream holds a second frame header");
    auto [p, length] = Segment("SOF3");
    if (length < 6) Fail("SOF3 segment is too short");
    image.precision = p[0];
    image.height = (p[1] << 8) | p[2];
    image.width = (p[3] << 8) | p[4];
    image.components = p[5];
    if (image.precision < 2 || image.precision > 16) Fail("sample precision " + std::to_string(image.precision) + " is outside 2–16");
    if (image.height == 0) Fail("frame height 0 (height set by a DNL marker) is not supported");
    if (image.width == 0) Fail("frame width is 0");
    if (image.components < 1 || image.components > 4) Fail(std::to_string(image.components) + " components; 1–4 are supported");
    if (length < static_cast<std::size_t>(6 + 3 * image.components)) Fail("SOF3 segment is too short for its components");
    const std::size_t samples = static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height) * static_cast<std::size_t>(image.components);
    if (samples > kMaxSamples) Fail("frame of " + std::to_string(samples) + " samples is too large");
    for (int c = 0; c < image.components; c++) {
      const std::uint8_t* entry = p + 6 + 3 * c;
      if (entry[1] != 0x11) Fail("component " + std::to_string(entry[0]) + " is subsampled (H×V " + std::to_string(entry[1] >> 4) + "×" + std::to_string(entry[1] & 15) + "); only 1×1 is supported");
      components.push_back({entry[0], 0, false});
    }
    image.samples.assign(samples, 0);
    haveFrame = true;
  }

  void ReadTables() {
    auto [p, length] = Segment("DHT");
    std::size_t i = 0;
    while (i < length) {
      if (i + 17 > length) Fail("DHT segment is too short");
      const int classAndId = p[i];
      const std::uint8_t* counts = p + i + 1;
      int total = 0;
      for (int l = 0; l < 16; l++) total += counts[l];
      if (total > 256 || i + 17 + static_cast<std::size_t>(total) > length) Fail("DHT segment is too short for its codes");
      // Lossless scans use only DC-class tables (T.81 H.2.2); AC tables may appear in mixed streams and are ignored.
      if ((classAndId >> 4) == 0) {
        if ((classAndId & 15) > 3) Fail("Huffman table id " + std::to_string(classAndId & 15) + " exceeds 3");
        BuildTable(tables[static_cast<std::size_t>(classAndId & 15)], counts, p + i + 17, total);
      }
      i += 17 + static_cast<std::size_t>(total);
    }
  }

  void ReadRestartInterval() {
    auto [p, length] = Segment("DRI");
    if (length < 2) Fail("DRI segment is too short");
    restartInterval = (p[0] << 8) | p[1];
  }

  void ReadScan() {
    if (!haveFrame) Fail("scan before the frame header");
    auto [p, length] = Segment("SOS");
    if (length < 1) Fail("SOS segment is too short");
    const int count = p[0];
    if (count < 1 || count > image.components || length < static_cast<std::size_t>(4 + 2 * count)) Fail("SOS segment names " + std::to_string(count) + " components");
    std::vector<int> index(static_cast<std::size_t>(count));
    std::vector<const HuffmanTable*> table(static_cast<std::size_t>(count));
    for (int k = 0; k < count; k++) {
      const int id = p[1 + 2 * k];
      int found = -1;
      for (int c = 0; c < image.components; c++) if (components[static_cast<std::size_t>(c)].id == id) found = c;
      if (found < 0) Fail("scan names component " + std::to_string(id) + ", which the frame does not have");
      const int tableId = p[2 + 2 * k] >> 4;
      if (tableId > 3 || !tables[static_cast<std::size_t>(tableId)].defined) Fail("scan uses Huffman table " + std::to_string(tableId) + ", which is not defined");
      index[static_cast<std::size_t>(k)] = found;
      table[static_cast<std::size_t>(k)] = &tables[static_cast<std::size_t>(tableId)];
    }
    const int predictor = p[1 + 2 * count];
    const int pointTransform = p[3 + 2 * count] & 15;
    if (predictor < 1 || predictor > 7) Fail("predictor (selection value) " + std::to_string(predictor) + " is outside 1–7");
    if (pointTransform >= image.precision) Fail("point transform " + std::to_string(pointTransform) + " is not below the precision");
    if (image.predictor == 0) image.predictor = predictor;
    image.pointTransform = pointTransform;
    for (int k = 0; k < count; k++) {
      auto& component = components[static_cast<std::size_t>(index[static_cast<std::size_t>(k)])];
      component.pointTransform = pointTransform;
      component.decoded = true;
    }
    if (restartInterval > 0 && restartInterval % image.width != 0) {
      Fail("restart interval of " + std::to_string(restartInterval) + " samples is not a whole number of rows of " + std::to_string(image.width));
    }
    BitReader reader(data + at, data + size);
    DecodeScan(reader, index, table, predictor, pointTransform);
    at = static_cast<std::size_t>(reader.Position() - data);
  }

  void DecodeScan(BitReader& reader, const std::vector<int>& index, const std::vector<const HuffmanTable*>& table, int predictor, int pointTransform) {
    const std::size_t width = static_cast<std::size_t>(image.width);
    const std::size_t stride = static_cast<std::size_t>(image.components);
    const std::size_t rowStride = width * stride;
    const std::int32_t initial = 1 << (image.precision - pointTransform - 1);
    const int rowsPerInterval = restartInterval > 0 ? restartInterval / image.width : 0;
    std::uint16_t* out = image.samples.data();
    int restarts = 0;
    int rowsLeft = rowsPerInterval;
    bool firstRow = true;
    for (int y = 0; y < image.height; y++) {
      if (rowsPerInterval > 0 && rowsLeft == 0) {
        reader.Restart(restarts++ & 7);
        rowsLeft = rowsPerInterval;
        firstRow = true;
      }
      std::uint16_t* row = out + static_cast<std::size_t>(y) * rowStride;
      for (std::size_t x = 0; x < width; x++) {
        // Components of an interleaved scan take turns sample by sample; each is predicted from its own samples.
        for (std::size_t k = 0; k < index.size(); k++) {
          if (reader.Bits() < 32) reader.Fill();
          const std::size_t c = static_cast<std::size_t>(index[k]);
          std::uint16_t* sample = row + x * stride + c;
          const std::int32_t difference = reader.Difference(reader.Decode(*table[k]));
          std::int32_t prediction;
          if (x == 0) {
            prediction = firstRow ? initial : sample[-static_cast<std::ptrdiff_t>(rowStride)];
          } else if (firstRow) {
            prediction = sample[-static_cast<std::ptrdiff_t>(stride)];
          } else {
            const std::int32_t a = sample[-static_cast<std::ptrdiff_t>(stride)];
            const std::int32_t b = sample[-static_cast<std::ptrdiff_t>(rowStride)];
            const std::int32_t c2 = sample[-static_cast<std::ptrdiff_t>(rowStride + stride)];
            switch (predictor) {
              case 1: prediction = a; break;
              case 2: prediction = b; break;
              case 3: prediction = c2; break;
              case 4: prediction = a + b - c2; break;
              case 5: prediction = a + ((b - c2) >> 1); break;
              case 6: prediction = b + ((a - c2) >> 1); break;
              default: prediction = (a + b) >> 1; break;
            }
          }
          *sample = static_cast<std::uint16_t>((prediction + difference) & 0xFFFF);
        }
      }
      firstRow = false;
      rowsLeft--;
    }
  }

  void Run() {
    if (size < 4 || data[0] != 0xFF || data[1] != 0xD8) Fail("not a JPEG stream: no SOI marker at its start");
    at = 2;
    for (;;) {
      while (at < size && data[at] != 0xFF) at++;  // tolerate stray bytes between segments, as IJG does
      while (at + 1 < size && data[at + 1] == 0xFF) at++;
      if (at + 1 >= size) break;  // no EOI: accept if every component was decoded
      const int marker = data[at + 1];
      at += 2;
      if (marker == 0xD9) break;
      if (marker == 0xC4) ReadTables();
      else if (marker == 0xDD) ReadRestartInterval();
      else if (marker == 0xDA) ReadScan();
      else if (marker == 0xCC) Fail("arithmetic-coded JPEG (DAC marker) is not supported");
      else if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC8) ReadFrame(marker);
      else if ((marker >= 0xD0 && marker <= 0xD7) || marker == 0x01 || marker == 0x00) continue;
      else Segment("marker");
    }
    if (!haveFrame) Fail("stream has no frame header (SOF3)");
    for (const auto& component : components) {
      if (!component.decoded) Fail("stream ends before component " + std::to_string(component.id) + " was coded");
    }
  }

  /** Undoes each component's point transform (samples were coded shifted right by Pt). */
  void Unshift() {
    const std::size_t stride = components.size();
    for (std::size_t c = 0; c < stride; c++) {
      const int shift = components[c].pointTransform;
      if (shift == 0) continue;
      for (std::size_t i = c; i < image.samples.size(); i += stride) image.samples[i] = static_cast<std::uint16_t>(image.samples[i] << shift);
    }
  }
};

}  // namespace

LosslessImage DecodeLossless(const std::uint8_t* data, std::size_t size) {
  Decoder decoder(data, size);
  decoder.Run();
  decoder.Unshift();
  return std::move(decoder.image);
}

}  // namespace angio::jpeg
