"""Assets made once and shared: the checked brand, a study's chart (one job draws it in every
language) and the DOCX reference document.

in:  <data>/junctures.yaml, the brand file, fonts, locale catalogues
out: output/build/brand.json, output/<study>/build/charts/{en,es}/cooperation.{svg,png}, output/build/reference.docx
"""


# The brand file read and checked once (brand_yml), written as JSON: the jobs that use the brand
# read that instead of importing brand_yml and pydantic each, and a bad brand file is reported once.
rule brand:
    input:
        brand=BRAND_FILES,
        code=BRAND_CODE,
    output:
        BRAND_JSON,
    params:
        pb=PB,
        templates=templates_dir,
    priority: PREREQUISITE_PRIORITY
    conda:
        "../environment.yml"
    log:
        f"{OUT}/logs/brand.log",
    benchmark:
        f"{OUT}/benchmarks/brand.tsv"
    shell:
        """
        {params.pb} brand \
            --templates {params.templates:q} \
            --out {output:q} \
            > {log:q} 2>&1
        """


# Both languages in one job: they read the same files, and one job imports matplotlib once. The
# chart reads the brand file itself rather than the brand job's JSON: every brief with a chart waits
# for it, and waiting for the brand job first would add that job's 0.9 s to every clean build.
rule chart:
    input:
        junctures=junctures_file,
        templates=CHART_TEMPLATE_FILES,
        code=CHART_CODE,
    output:
        **{f"{kind}_{lang}": f"{OUT}/{{study}}/build/charts/{lang}/cooperation.{kind}" for lang in LANGUAGES for kind in ("svg", "png")},
    params:
        pb=PB,
        data=study_data,
        templates=templates_dir,
        out=charts_folder,
        langs=LANGUAGES,
    priority: PREREQUISITE_PRIORITY
    conda:
        "../environment.yml"
    log:
        f"{OUT}/logs/{{study}}/chart.log",
    benchmark:
        f"{OUT}/benchmarks/{{study}}/chart.tsv"
    shell:
        """
        {params.pb} chart \
            --data {params.data:q} \
            --templates {params.templates:q} \
            --lang {params.langs} \
            --out {params.out:q} \
            > {log:q} 2>&1
        """


rule reference_docx:
    input:
        brand=BRAND_JSON,
        # The JSON names the font files; the document embeds what they hold.
        fonts=BRAND_FILES,
        code=CHART_CODE,
    output:
        f"{OUT}/build/reference.docx",
    params:
        pb=PB,
        templates=templates_dir,
    priority: PREREQUISITE_PRIORITY
    conda:
        "../environment.yml"
    log:
        f"{OUT}/logs/reference_docx.log",
    benchmark:
        f"{OUT}/benchmarks/reference_docx.tsv"
    shell:
        """
        {params.pb} reference-docx \
            --templates {params.templates:q} \
            --brand {input.brand:q} \
            --out {output:q} \
            > {log:q} 2>&1
        """
