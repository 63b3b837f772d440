"""The DOCX as a package of parts: fonts embedded the way Word embeds them, and a structural check
that every part is typed and every relationship and reference resolves.

Embedded fonts follow ISO/IEC 29500-1 §17.8 (font embedding): each font is a part under word/fonts/,
related from word/fontTable.xml and named there by `w:embedRegular` (Bold, Italic, BoldItalic) with a
`w:fontKey` GUID; its first 32 bytes are XOR-ed with the GUID's 16 bytes taken in reverse order.
Word and LibreOffice read these parts and show the brand typography with nothing installed.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from policybrief.core.files import deterministic_zip

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
FONT_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
ODTTF = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
TYPES_PART = "[Content_Types].xml"
# Word's four faces per family, by the font file's own bold and italic flags (OS/2 fsSelection).
SLOTS = {(False, False): "embedRegular", (True, False): "embedBold", (False, True): "embedItalic", (True, True): "embedBoldItalic"}
# CT_Font's children, in schema order.
FONT_CHILDREN = ("altName", "panose1", "charset", "family", "notTrueType", "pitch", "sig",
                 "embedRegular", "embedBold", "embedItalic", "embedBoldItalic")
# OS/2 fsType bits that forbid embedding: restricted licence (0x0002), bitmap embedding only (0x0200).
NO_EMBEDDING = 0x0002 | 0x0200
# The parts that hold text.
STORY = re.compile(r"^word/(document|footnotes|endnotes|comments|header\d+|footer\d+)\.xml$")


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass(frozen=True)
class WordFont:
    """A font file as Word sees it: the legacy family name (name ID 1) and which of its four faces it is."""

    name: str
    bold: bool
    italic: bool
    data: bytes
    fs_type: int
    panose: str
    serif: bool
    leading: float  # the font's own line height, in em: Word's and LibreOffice's single spacing

    @property
    def embeddable(self) -> bool:
        return not self.fs_type & NO_EMBEDDING

    @property
    def slot(self) -> str:
        return SLOTS[self.bold, self.italic]


def word_font(path: Path) -> WordFont:
    from fontTools.ttLib import TTFont

    data = Path(path).read_bytes()
    font = TTFont(io.BytesIO(data), lazy=True)
    names, os2 = font["name"], font["OS/2"]
    p = os2.panose
    panose = [p.bFamilyType, p.bSerifStyle, p.bWeight, p.bProportion, p.bContrast, p.bStrokeVariation,
              p.bArmStyle, p.bLetterForm, p.bMidline, p.bXHeight]
    hhea, units = font["hhea"], font["head"].unitsPerEm
    leading = max(hhea.ascent - hhea.descent + hhea.lineGap, os2.usWinAscent + os2.usWinDescent) / units
    # PANOSE serif styles 11-13 are the sans-serif ones.
    return WordFont(names.getDebugName(1), bool(os2.fsSelection & 0x20), bool(os2.fsSelection & 0x01), data, os2.fsType,
                    "".join(f"{v:02X}" for v in panose), p.bSerifStyle not in (11, 12, 13), leading)


def font_key(data: bytes) -> str:
    """A GUID derived from the font's bytes: the same font gets the same key, so output is reproducible."""
    return "{" + str(uuid.UUID(bytes=hashlib.sha256(data).digest()[:16])).upper() + "}"


def obfuscate(data: bytes, key: str) -> bytes:
    """XOR the first 32 bytes with the key's 16 bytes in reverse order (the operation is its own inverse)."""
    guid = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(b ^ guid[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


def read_parts(docx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_parts(parts: dict[str, bytes]) -> bytes:
    """Content types first (some readers expect it), then every part by name, with fixed times."""
    names = sorted(parts, key=lambda n: (n != TYPES_PART, n))
    return deterministic_zip([(name, parts[name]) for name in names])


def _xml(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def _bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def fonts_used(parts: dict[str, bytes]) -> set[str]:
    """The fonts the text is set in: each applied style's own font (the nearest up its basedOn chain),
    the document default, and fonts set directly on runs. A style nothing uses does not count."""
    styles = _xml(parts["word/styles.xml"])
    chain, applied = {}, set()
    for style in styles.iter(w("style")):
        based, fonts = style.find(w("basedOn")), style.find(f"{w('rPr')}/{w('rFonts')}")
        chain[style.get(w("styleId"))] = (based.get(w("val")) if based is not None else None,
                                          fonts.get(w("ascii")) if fonts is not None else None)
        if style.get(w("default")) == "1" and style.get(w("type")) == "paragraph":
            applied.add(style.get(w("styleId")))
    names = {f.get(w("ascii")) for f in styles.iterfind(f"{w('docDefaults')}//{w('rFonts')}")}
    for name, data in parts.items():
        if STORY.match(name):
            root = _xml(data)
            applied.update(el.get(w("val")) for el in root.iter(w("pStyle"), w("rStyle")))
            names.update(el.get(w("ascii")) for el in root.iter(w("rFonts")))
    for style_id in applied:
        seen = set()
        while style_id in chain and style_id not in seen:
            seen.add(style_id)
            based, font = chain[style_id]
            if font:
                names.add(font)
                break
            style_id = based
    return names - {None}


def _font_element(table: etree._Element, name: str) -> etree._Element:
    """The fontTable entry for `name`, emptied, in place of any entry pandoc wrote."""
    for old in table.findall(w("font")):
        if old.get(w("name")) == name:
            table.remove(old)
    return etree.SubElement(table, w("font"), {w("name"): name})


def _describe(entry: etree._Element, font: WordFont, fallback: str | None) -> None:
    """The font's classification, so a client without it picks a neighbour with similar metrics."""
    if fallback:
        etree.SubElement(entry, w("altName"), {w("val"): fallback})
    etree.SubElement(entry, w("panose1"), {w("val"): font.panose})
    etree.SubElement(entry, w("charset"), {w("val"): "00"})
    etree.SubElement(entry, w("family"), {w("val"): "roman" if font.serif else "swiss"})
    etree.SubElement(entry, w("pitch"), {w("val"): "variable"})


def embed_fonts(parts: dict[str, bytes], fonts: list[tuple[WordFont, str | None]]) -> list[str]:
    """Embed, in place, every font file whose family the document's text uses, each with the first
    font of its declared fallback chain as `w:altName`. Returns the families whose licence forbids
    embedding: they keep only the fallback."""
    used = fonts_used(parts)
    table = _xml(parts["word/fontTable.xml"])
    rels_part = rels_name("word/fontTable.xml")
    rels = _xml(parts[rels_part]) if rels_part in parts else etree.Element(f"{{{PKG_RELS}}}Relationships", nsmap={None: PKG_RELS})
    families: dict[str, list[tuple[WordFont, str | None]]] = {}
    for font, fallback in fonts:
        if font.name not in used:
            continue
        faces = families.setdefault(font.name, [])
        if all(font.slot != other.slot for other, _f in faces):  # Word embeds one file per face
            faces.append((font, fallback))
    refused = []
    for name, faces in sorted(families.items()):
        entry = _font_element(table, name)
        _describe(entry, *faces[0])
        if not all(font.embeddable for font, _fallback in faces):
            refused.append(name)
            continue
        for font, _fallback in sorted(faces, key=lambda face: FONT_CHILDREN.index(face[0].slot)):
            key = font_key(font.data)
            target = f"fonts/{key.strip('{}').lower()}.odttf"
            rid = f"rIdFont{len(rels) + 1}"
            etree.SubElement(rels, f"{{{PKG_RELS}}}Relationship", {"Id": rid, "Type": FONT_REL, "Target": target})
            etree.SubElement(entry, w(font.slot), {f"{{{R}}}id": rid, w("fontKey"): key})
            parts[f"word/{target}"] = obfuscate(font.data, key)
    parts["word/fontTable.xml"] = _bytes(table)
    if len(rels):
        parts[rels_part] = _bytes(rels)
        _ensure_default(parts, "odttf", ODTTF)
        _keep_embedding(parts)
    return refused


def _ensure_default(parts: dict[str, bytes], extension: str, content_type: str) -> None:
    types = _xml(parts[TYPES_PART])
    if not any(d.get("Extension", "").lower() == extension for d in types.findall(f"{{{CONTENT_TYPES}}}Default")):
        types.insert(0, etree.Element(f"{{{CONTENT_TYPES}}}Default", {"Extension": extension, "ContentType": content_type}))
        parts[TYPES_PART] = _bytes(types)


def _keep_embedding(parts: dict[str, bytes]) -> None:
    """`w:embedTrueTypeFonts` tells Word to keep the fonts in the file when the recipient saves it.
    Its place in CT_Settings is after the view settings and before `w:embedSystemFonts`."""
    settings = _xml(parts["word/settings.xml"])
    if settings.find(w("embedTrueTypeFonts")) is not None:
        return
    before = ("writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime", "doNotDisplayPageBoundaries",
              "displayBackgroundShape", "printPostScriptOverText", "printFractionalCharacterWidth", "printFormsData")
    index = sum(1 for child in settings if etree.QName(child).localname in before)
    settings.insert(index, etree.Element(w("embedTrueTypeFonts")))
    parts["word/settings.xml"] = _bytes(settings)


def package_problems(parts: dict[str, bytes]) -> list[str]:
    """What would make Word offer to repair the file: an untyped part, a content type for a part that
    is not there, a relationship to a missing part, an r:id no relationship defines, malformed XML."""
    if TYPES_PART not in parts:
        return [f"{TYPES_PART} is missing"]
    types = _xml(parts[TYPES_PART])
    defaults = {d.get("Extension", "").lower() for d in types.findall(f"{{{CONTENT_TYPES}}}Default")}
    overrides = {o.get("PartName", "").lstrip("/") for o in types.findall(f"{{{CONTENT_TYPES}}}Override")}
    problems = [f"content type given for {name}, which is not in the package" for name in sorted(overrides - set(parts))]
    problems += [f"{name} has no content type" for name in sorted(parts)
                 if name != TYPES_PART and name not in overrides and name.rsplit(".", 1)[-1].lower() not in defaults]
    if "_rels/.rels" not in parts:
        problems.append("_rels/.rels is missing")
    for name in sorted(parts):
        if name.endswith((".xml", ".rels")):
            problems += _part_problems(parts, name)
    return problems


def _relationship_ids(parts: dict[str, bytes], rels_part: str) -> tuple[set[str], list[str]]:
    """The relationship ids a .rels part defines, and its targets that are missing."""
    folder = posixpath.dirname(posixpath.dirname(rels_part))
    ids, missing = set(), []
    for rel in _xml(parts[rels_part]).findall(f"{{{PKG_RELS}}}Relationship"):
        ids.add(rel.get("Id"))
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        if resolved not in parts:
            missing.append(f"{rels_part}: relationship {rel.get('Id')} points to {resolved}, which is not in the package")
    return ids, missing


def _part_problems(parts: dict[str, bytes], name: str) -> list[str]:
    try:
        root = _xml(parts[name])
    except etree.XMLSyntaxError as exc:
        return [f"{name} is not well-formed XML: {exc}"]
    if name.endswith(".rels"):
        owner = posixpath.join(posixpath.dirname(posixpath.dirname(name)), posixpath.basename(name)[: -len(".rels")])
        _ids, missing = _relationship_ids(parts, name)
        return missing + ([f"{name} belongs to {owner}, which is not in the package"] if owner and owner not in parts else [])
    refs = {v for el in root.iter() if isinstance(el.tag, str) for k, v in el.attrib.items() if k.startswith(f"{{{R}}}")}
    rels_part = rels_name(name)
    ids = _relationship_ids(parts, rels_part)[0] if rels_part in parts else set()
    return [f"{name} refers to {ref}, which {rels_part} does not define" for ref in sorted(refs - ids)]
