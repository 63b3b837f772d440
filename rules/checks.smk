"""Validate a study's data and brief specs and verify every anchor against its thesis. Each render
job validates what it reads too, so a brief never renders from invalid data; this rule adds the
anchor check and reports every problem across all briefs at once.

in:  <data>/*, <briefs>/*.yaml, the thesis text
out: output/<study>/build/checked.txt
"""


rule check_inputs:
    input:
        data=data_files,
        specs=spec_files,
        source=study_source,
        code=CHECK_CODE,
    output:
        f"{OUT}/{{study}}/build/checked.txt",
    params:
        pb=PB,
        data=study_data,
        briefs=study_briefs,
    conda:
        "../environment.yml"
    log:
        f"{OUT}/logs/{{study}}/check_inputs.log",
    benchmark:
        f"{OUT}/benchmarks/{{study}}/check_inputs.tsv"
    shell:
        """
        {params.pb} check-inputs \
            --data {params.data:q} \
            --briefs {params.briefs:q} \
            --source {input.source:q} \
            > {output:q} 2> {log:q}
        """
