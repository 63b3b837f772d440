"""Distribution: publish what passed QA (atomically, never losing the last good copy), bundle it,
catalogue it and draft an e-mail per recipient. Published files are not declared outputs on
purpose: Snakemake deletes declared outputs when a job starts or fails.

in:  QA results, the built briefs, data/distribution.csv, templates/email/, templates/catalogue.html.j2
out: output/published/, output/bundles/, output/index.html, output/mail/ (each indexed in output/build/*.json)
"""


rule publish:
    input:
        qa_passed=f"{OUT}/build/qa-passed.txt",
        qa=expand(f"{OUT}/briefs/{{brief}}/{{brief}}.qa.json", brief=BRIEFS),
        files=expand(f"{OUT}/briefs/{{brief}}/{{brief}}.{{ext}}", brief=BRIEFS, ext=["pdf", "docx", "html"]),
    output:
        f"{OUT}/build/published.json",
    log:
        f"{OUT}/logs/publish.log",
    shell:
        """
        {PB} publish --output {OUT:q} --briefs {BRIEFS_DIR:q} {BRIEFS} > {log:q} 2>&1 || (cat {log:q} >&2; exit 1)
        """


rule bundles:
    input:
        f"{OUT}/build/published.json",
    output:
        f"{OUT}/build/bundles.json",
    log:
        f"{OUT}/logs/bundles.log",
    shell:
        """
        {PB} bundles --output {OUT:q} --briefs {BRIEFS_DIR:q} > {log:q} 2>&1 || (cat {log:q} >&2; exit 1)
        """


rule catalogue:
    input:
        published=f"{OUT}/build/published.json",
        bundles=f"{OUT}/build/bundles.json",
        template=f"{TEMPLATES}/catalogue.html.j2",
    output:
        f"{OUT}/index.html",
    params:
        base_url=config["public_base_url"],
        title=config["catalogue_title"],
    log:
        f"{OUT}/logs/catalogue.log",
    shell:
        """
        {PB} catalogue --output {OUT:q} --briefs {BRIEFS_DIR:q} --templates {TEMPLATES:q} \
            --base-url={params.base_url:q} --title={params.title:q} > {log:q} 2>&1 || (cat {log:q} >&2; exit 1)
        """


rule drafts:
    input:
        published=f"{OUT}/build/published.json",
        recipients=config["recipients"],
        templates=[f for f in TEMPLATE_FILES if "/email/" in f],
    output:
        f"{OUT}/build/drafts.json",
    params:
        sender=config["mail"]["from"],
        epoch=EPOCH,
    log:
        f"{OUT}/logs/drafts.log",
    shell:
        """
        {PB} drafts --output {OUT:q} --briefs {BRIEFS_DIR:q} --templates {TEMPLATES:q} \
            --recipients {input.recipients:q} --sender {params.sender:q} --epoch {params.epoch} > {log:q} 2>&1 \
        || (cat {log:q} >&2; exit 1)
        """
