import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
OUT=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'sources', 'guides', 'figures') + os.sep
# ---------- visual key ----------
s=SVG(860,342,"How to read the visuals: the colour, letter and shape of each principle, role and stage",
 "Three rows. Principles are circles with a letter: L lawfulness in blue, H minimisation of harm in vermillion, A human autonomy in bluish green, F fairness in reddish purple, G good governance in orange. Roles are squares with two letters: SM senior managers in blue, IO innovation officers in orange, RD research and development officers in bluish green, LA legal advisors in reddish purple. Stages are arrows with a short name: develop in sky blue, procure in yellow, deploy in vermillion. A solid shape means main reader or applies; a dashed outline means also useful. Legal status symbols: a stop sign for banned, a warning triangle for high-risk, an i in a circle for other duties.")
s.text(14,26,"How to read the visuals",size=16,bold=True,fill=INK)
s.text(14,58,"Principles",size=13,bold=True,fill=INK); s.text(14,74,"circle + letter",size=11.5,fill=MUTED)
for i,(k,l,n,c) in enumerate(PRINCIPLES):
    x=150+i*142; s.principle(x+16,64,k,r=16)
    ls=wrap(n,96,12.5); s.lines(x+38,64+4.5-(len(ls)-1)*8,ls,size=12.5,lh=16)
s.text(14,128,"Roles",size=13,bold=True,fill=INK); s.text(14,144,"square + initials",size=11.5,fill=MUTED)
for i,(k,l,n,c) in enumerate(ROLES):
    x=150+i*178; s.role(x,118,k,size=32); s.text(x+40,138.5,n,size=12.5)
s.text(14,198,"Stages",size=13,bold=True,fill=INK); s.text(14,214,"arrow + code",size=11.5,fill=MUTED)
for i,(k,l,n,c) in enumerate(STAGES):
    x=150+i*142; s.stage(x,190,k,w=64,h=30); s.text(x+72,209.5,n,size=12.5)
s.role(578,188,"senior-manager",size=26); s.text(612,205.5,"Solid: main reader, or applies",size=12)
s.role(578,222,"senior-manager",size=26,filled=False); s.text(612,239.5,"Dashed: also useful",size=12)
s.text(14,278,"Legal status",size=13,bold=True,fill=INK); s.text(14,294,"shape + word",size=11.5,fill=MUTED)
s.stop(172,284,r=20); s.text(200,289,"Banned: stop",size=12.5)
s.warn(352,284,r=18); s.text(380,289,"High-risk: strict duties",size=12.5)
s.info(572,284,r=18); s.text(600,289,"Other duties apply",size=12.5)
s.text(14,330,"Colours follow the Okabe-Ito palette, which people with common colour-vision deficiencies can tell apart. Every colour also has a letter, shape or word.",size=11.5,fill=MUTED)
s.save(OUT+'visual-key.svg')

# ---------- toolkit map ----------
H=1080
s=SVG(860,H,"Map of the toolkit: each resource, for whom, when, and in what order",
 "A one-page map in four steps, read from top to bottom. Step 1, learn: Start here, Resource 1 the introduction and Resource 2 the principles, for all four roles at every stage. Step 2, set up the agency: Resource 3 the roadmap, mainly for senior managers and innovation officers, and Resource 4 the readiness assessment, run once a year for the whole agency. Step 3, check each system: Resource 6 the risk assessment, led by legal advisors and R&D officers before each stage gate; Resource 5 Responsible AI in action, tailored to each role and stage; the checklist cards for contracts, suppliers and go-live, used when procuring and deploying; and the working templates (AI register, system file, responsibility matrix, monitoring plan, incident log, supplier questionnaire, contract checklist), kept up to date at every stage. Step 4, keep at hand: Resource 7, twelve primers, one for each role and stage.")
s.add('<g transform="translate(0,-34)">')
s.text(14,54,"Read from top to bottom. Each row says what a resource is, for whom and when.",size=13.5,fill=MUTED)
# key strip
s.rect(14,68,832,62,fill=LIGHT,rx=6,sw=1.2)
s.text(26,92,"Roles",size=12.5,bold=True,fill=INK)
for i,(k,l,n,c) in enumerate(ROLES):
    x=76+i*150; s.role(x,78,k,size=22); s.text(x+27,94,n,size=11.5)
s.text(26,120,"Stages",size=12.5,bold=True,fill=INK)
for i,(k,l,n,c) in enumerate(STAGES):
    x=76+i*118; s.stage(x,106,k,w=48,h=20); s.text(x+53,121,n,size=11.5)
s.role(450,104,"senior-manager",size=20); s.text(476,119,"solid: main reader",size=11.5)
s.role(610,104,"senior-manager",size=20,filled=False); s.text(636,119,"dashed: also useful",size=11.5)
# column heads
y=156
s.text(64,y,"Resource",size=12.5,bold=True,fill=INK); s.text(470,y,"For whom",size=12.5,bold=True,fill=INK); s.text(626,y,"When",size=12.5,bold=True,fill=INK)
ALL=["senior-manager","innovation-officer","rd-officer","legal-advisor"]
steps=[
 ("Step 1. Learn the basics",[
   ("S","Start here","This map, the visual key and where to begin.",ALL,[],None,"Before anything else"),
   ("1","Introduction to AI","Key terms, how AI is built, 16 police uses, who is responsible, key dates.",ALL,[],None,"Before any project"),
   ("2","Principles","Five principles, the law behind them, a screening tree and case studies at three levels.",["innovation-officer","rd-officer","legal-advisor"],["senior-manager"],["develop","procure","deploy"],None)]),
 ("Step 2. Set up the agency",[
   ("3","Roadmap","Culture, people and process: what to put in place, stage by stage.",["senior-manager","innovation-officer"],["rd-officer","legal-advisor"],["develop","procure","deploy"],None),
   ("4","Readiness assessment","A half-day workshop that scores how ready the whole agency is.",["senior-manager","innovation-officer"],["rd-officer","legal-advisor"],[],"Once a year, agency-wide")]),
 ("Step 3. Check each system",[
   ("6","Risk assessment","Screens one system against the law and sets its risk level.",["rd-officer","legal-advisor"],["senior-manager","innovation-officer"],["develop","procure","deploy"],None),
   ("5","Responsible AI in action","What each role does for the five principles, at this stage.",ALL,[],["develop","procure","deploy"],None),
   ("C","Checklist cards","Go-live questions, contract terms, questions for suppliers.",["senior-manager","innovation-officer","legal-advisor"],["rd-officer"],["procure","deploy"],None),
   ("W","Working templates","AI register, system file, responsibility matrix, monitoring plan, incident log, supplier questionnaire, contract checklist.",["innovation-officer","rd-officer","legal-advisor"],["senior-manager"],["develop","procure","deploy"],None)]),
 ("Step 4. Keep at hand",[
   ("7","Primers","Twelve short summaries, one for each role and stage.",ALL,[],["develop","procure","deploy"],None)]),
]
y=170
for title,rows in steps:
    s.rect(14,y,832,28,fill=INK,stroke=INK,rx=4)
    s.text(26,y+19,title,size=14,bold=True,fill=WHITE)
    y+=36
    for num,name,what,main,also,stages,note in rows:
        h=80
        s.rect(14,y,832,h-8,fill=WHITE,rx=6,sw=1.2)
        if num.isdigit(): s.numbadge(38,y+30,num,r=15)
        else: s.numbadge(38,y+30,num,r=15,fill=LIGHT,fg=INK)
        s.text(64,y+28,name,size=15.5,bold=True,fill=INK)
        s.wrap(64,y+48,what,392,size=13.5,lh=16)
        # roles
        for i,k in enumerate(ALL):
            if k in main: s.role(470+i*36,y+24,k,size=30)
            elif k in also: s.role(470+i*36,y+24,k,size=30,filled=False)
        if stages:
            for i,k in enumerate(["develop","procure","deploy"]):
                s.stage(626+i*72,y+26,k,w=68,h=26,filled=k in stages,label=S[k][0])
            if num in ("6",): s.text(626,y+66,"before each stage gate, and on change",size=11.5,fill=MUTED)
            if num=="5": s.text(626,y+66,"again at each new stage",size=11.5,fill=MUTED)
            if num=="C": s.text(626,y+66,"at contract and before go-live",size=11.5,fill=MUTED)
            if num=="W": s.text(626,y+66,"keep them up to date",size=11.5,fill=MUTED)
            if num=="3": s.text(626,y+66,"steps for each stage",size=11.5,fill=MUTED)
            if num=="2": s.text(626,y+66,"at every stage",size=11.5,fill=MUTED)
            if num=="7": s.text(626,y+66,"pick your role and stage",size=11.5,fill=MUTED)
        else:
            s.text(626,y+44,note,size=13,bold=True,fill=INK)
        y+=h
    # arrow to next step
    if title!=steps[-1][0]:
        y+=2
s.text(14,y+14,"Numbers are the resource numbers on each cover. S, C and W are not numbered resources.",size=11.5,fill=MUTED)
s.add('</g>'); s.resize(int(y+20-34))
print("map height used",y+20-34)
s.save(OUT+'toolkit-map.svg')
