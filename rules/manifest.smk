"""The manifest: one entry per distributed file, with size, checksum, pages, words and tool versions.
It also waits for the data checks, so a build never completes with an unverified anchor.

in:  every brief's build record, files and QA result; the data checks and the QA gate
out: output/manifest.json
"""


rule manifest:
    input:
        checked=f"{OUT}/build/checked.txt",
        qa_passed=f"{OUT}/build/qa-passed.txt",
        qa_report=f"{OUT}/qa.html",
        published=f"{OUT}/build/published.json",
        bundles=f"{OUT}/build/bundles.json",
        catalogue=f"{OUT}/index.html",
        drafts=f"{OUT}/build/drafts.json",
        records=expand(f"{OUT}/briefs/{{brief}}/{{brief}}.build.json", brief=BRIEFS),
        files=expand(f"{OUT}/briefs/{{brief}}/{{brief}}.{{ext}}", brief=BRIEFS, ext=["pdf", "docx", "html"]),
    output:
        f"{OUT}/manifest.json",
    log:
        f"{OUT}/logs/manifest.log",
    shell:
        """
        {PB} manifest --output {OUT:q} --briefs {BRIEFS_DIR:q} {input.records:q} > {log:q} 2>&1 \
        || (cat {log:q} >&2; exit 1)
        """
