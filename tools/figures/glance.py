import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
OUT=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'sources', 'guides', 'figures') + os.sep
ALL=["senior-manager","innovation-officer","rd-officer","legal-advisor"]
def header(s,title,sub):
    s.text(14,30,title,size=20,bold=True,fill=INK)
    s.wrap(14,54,sub,830,size=13.5,fill=MUTED,lh=18)
def panel(s,x,y,w,h,title):
    s.rect(x,y,w,h,fill=WHITE,sw=1.4,rx=8)
    s.rect(x,y,w,30,fill=LIGHT,sw=1.4,rx=8); s.rect(x+1,y+20,w-2,10,fill=LIGHT,stroke="none",rx=0)
    s.line(x,y+30,x+w,y+30,sw=1.4)
    s.text(x+12,y+21,title,size=14.5,bold=True,fill=INK)
def box(s,x,y,w,h,title,body,size=12.5,fill=WHITE,bold_title=True):
    s.rect(x,y,w,h,fill=fill,sw=1.3,rx=6)
    yy=y+20
    if title: yy=s.wrap(x+10,yy,title,w-20,size=13,bold=True,fill=INK,lh=16)+2
    if body: s.wrap(x+10,yy,body,w-20,size=size,lh=size*1.3)

# =============== introduction ===============
s=SVG(860,1100,"Introduction to AI at a glance","What AI is, the three stages, sixteen uses in policing, who is responsible and the key dates.")
header(s,"Introduction to AI at a glance","What AI is, how a system moves through its life, where police use it, and who is responsible.")
# what AI is
panel(s,14,80,832,190,"What AI is")
steps=[("Data","Records, images, audio, text"),("Model","Rules learned from examples"),("Output","A score, a match, a draft or a label"),("A person decides","Checks the output and acts, or does not")]
for i,(t,b) in enumerate(steps):
    x=30+i*205
    box(s,x,126,175,74,t,b)
    if i<3: s.line(x+177,163,x+203,163,arrow=True)
s.wrap(30,226,"Every output is a guess with an error rate. A threshold trades missed cases against false alarms, and errors can differ between groups of people. A match is a lead, not an identification.",800,size=13,lh=17)
# stages
panel(s,14,286,832,136,"Three stages in the life of a system")
for i,(k,code,n,c) in enumerate(STAGES):
    x=30+i*272
    s.stage(x,330,k,w=80,h=30)
    s.text(x+90,350,n,size=14,bold=True,fill=INK)
    s.wrap(x,384,["Build it in-house or with partners: define, gather data, test.","Buy or license it: tender, evaluate, contract.","Use it, monitor it, evaluate it and retire it."][i],250,size=12.5,lh=16)
# uses
panel(s,14,438,832,300,"Sixteen uses of AI in policing")
groups=[("Find people and things",["Facial recognition","Licence plate recognition","Video analytics","Drones"]),
 ("Analyse crime",["Crime mapping","Predictive analytics","Financial investigation","Cybercrime detection"]),
 ("Handle evidence",["Digital forensics triage","Child abuse material triage","Open-source intelligence","Deepfake detection"]),
 ("Write and serve",["Transcription and translation","AI-drafted reports","Call triage and resources","Chatbots for the public"])]
for i,(g,items) in enumerate(groups):
    x=30+i*204
    s.text(x,492,g,size=13.5,bold=True,fill=INK)
    for j,it in enumerate(items):
        s.rect(x,502+j*42,188,34,fill=WHITE,sw=1.1,rx=5)
        s.text(x+10,524+j*42,it,size=12.5)
s.warn(42,694,r=10); s.text(60,698,"Some uses are high-risk under the EU AI Act, and a few are banned: screen each use early.",size=12.5)
for i,(k,l,n,c) in enumerate(PRINCIPLES):
    s.principle(350+i*34,720,k,r=12)
s.text(30,725,"The guide marks the principles each use touches:",size=12.5)
# stakeholders
panel(s,14,754,832,250,"Who is responsible")
cols=[("The agency core","Own one system",None),("Agency-wide","Support and check it","Frontline officers and supervisors, procurement, internal audit, training"),("Around the agency","Hold it to account","Oversight bodies, courts and prosecutors, suppliers, researchers, civil society, communities, the people affected")]
for i,(t,sub,b) in enumerate(cols):
    x=30+i*272
    s.rect(x,796,256,192,fill=[LIGHT,WHITE,WHITE][i],sw=1.3,rx=6,dash=None if i<2 else "5,3")
    s.text(x+12,818,t,size=14,bold=True,fill=INK); s.text(x+12,836,sub,size=12.5,fill=MUTED)
    if b: s.wrap(x+12,862,b,232,size=12.5,lh=16.5)
for j,k in enumerate(ALL):
    s.role(42,850+j*34,k,size=26); s.text(76,868+j*34,R[k][1],size=12.5)
# dates
s.rect(14,1020,832,62,fill=LIGHT,sw=1.2,rx=6)
s.text(26,1046,"Key dates",size=14,bold=True,fill=INK)
s.stop(150,1041,r=12); s.text(170,1046,"Bans since 2 Feb 2025",size=12.5)
s.info(352,1041,r=12); s.text(372,1046,"Transparency from 2 Aug 2026",size=12.5)
s.warn(584,1041,r=12); s.text(604,1046,"High-risk duties from 2 Dec 2027",size=12.5)
s.text(26,1070,"The full list and a timeline are in the key dates section.",size=12.5,fill=MUTED)
s.save(OUT+'glance-introduction.svg')

# =============== principles ===============
s=SVG(860,1010,"Principles at a glance","The five principles, each with its letter, meaning, a question to ask before go-live and the main law, above the legal foundation and the screening steps.")
header(s,"The five principles at a glance","What each principle means, the question it asks before go-live, and the main law behind it.")
rows=[("lawfulness","Lawfulness","A legitimate aim, a clear legal basis, and a use that is necessary and proportionate.","What law allows this, and is there a less intrusive way?","ICCPR Art. 17, ECHR Art. 8, AI Act Art. 5"),
("harm","Minimisation of harm","Foresee harm to people, prevent it, and reduce what remains.","Who could be harmed, and what have we done about it?","LED Art. 27 (DPIA), AI Act Art. 9"),
("autonomy","Human autonomy","People make the decisions that matter, and can question, overrule and stop the system.","Who reviews each output, and can they really say no?","LED Art. 11, AI Act Art. 14"),
("fairness","Fairness","No group is treated unjustly, and people can challenge the outcome.","What are the error rates for each group, at our threshold?","ICCPR Art. 26, ECHR Art. 14, AI Act Art. 10"),
("governance","Good governance","A named person is accountable, records show what happened, and others can check.","Can we rebuild any use from our records, and who audits them?","LED Art. 25, AI Act Arts. 12 and 26")]
s.text(100,100,"What it means",size=12.5,bold=True,fill=MUTED); s.text(400,100,"Ask before go-live",size=12.5,bold=True,fill=MUTED); s.text(640,100,"Main law",size=12.5,bold=True,fill=MUTED)
y=110
for k,name,means,ask,law in rows:
    s.rect(14,y,832,126,fill=WHITE,sw=1.4,rx=8)
    s.principle(52,y+63,k,r=28)
    s.text(100,y+30,name,size=16,bold=True,fill=INK)
    s.wrap(100,y+54,means,270,size=13,lh=17)
    s.rect(392,y+14,230,98,fill=LIGHT,stroke="none",rx=6)
    s.wrap(402,y+38,ask,210,size=13,lh=17,italic=True)
    s.wrap(640,y+38,law,190,size=12.5,lh=17)
    y+=136
# foundation + screening
s.rect(14,y,832,120,fill=LIGHT,sw=1.4,rx=8)
s.text(28,y+26,"Underneath: the law",size=15,bold=True,fill=INK)
s.wrap(28,y+50,"Human rights law, the EU AI Act, the Law Enforcement Directive and international frameworks.",360,size=13,lh=17)
s.text(430,y+26,"Screen every use first",size=15,bold=True,fill=INK)
s.stop(446,y+62,r=15); s.text(468,y+67,"Banned?",size=13,bold=True)
s.line(530,y+62,556,y+62,arrow=True)
s.warn(578,y+64,r=15); s.text(600,y+67,"High-risk?",size=13,bold=True)
s.line(676,y+62,702,y+62,arrow=True)
s.info(722,y+62,r=15); s.text(744,y+67,"Other duties",size=13,bold=True)
s.text(430,y+100,"The screening tree is in the legal chapter.",size=12.5,fill=MUTED)
y+=136
s.text(14,y+12,"Across the three stages",size=15,bold=True,fill=INK)
for i,(k,t) in enumerate([("develop","Design the principles in"),("procure","Write them into the contract"),("deploy","Check them in daily use")]):
    x=14+i*280; s.stage(x,y+28,k,w=72,h=30); s.text(x+82,y+48,t,size=13)
s.save(OUT+'glance-principles.svg')

# =============== roadmap ===============
s=SVG(860,1080,"Roadmap at a glance","Three pillars of the roadmap with their sections, the path from the first 90 days to ongoing work, and the steps by stage.")
header(s,"The roadmap in one page","Three parts an agency builds up over time, and an order of work for the first year and after.")
pillars=[("Culture and infrastructure","The base the agency stands on",["Leadership and accountability","Policy and strategy for AI","Ethics and oversight bodies","Data governance and infrastructure","Community engagement","Documentation and records"]),
("People and expertise","The skills and roles it needs",["Roles and responsibilities","Training and AI literacy","Specialist skills","Legal and ethical expertise","Partnerships"]),
("Process and workflow","How each system is handled",["Developing AI in-house","Procuring AI","Deploying AI","Impact assessments","Human oversight in operations","Monitoring, audit, incidents","Retiring a system"])]
s.add(f'<polygon points="430,80 846,128 14,128" fill="{LIGHT}" stroke="{INK}" stroke-width="1.6"/>')
s.text(430,118,"Responsible use of AI across the agency",size=15,bold=True,fill=INK,anchor="middle")
for i,(t,sub,items) in enumerate(pillars):
    x=14+i*282; w=268
    s.rect(x,140,w,420,fill=WHITE,sw=1.6,rx=0)
    s.rect(x,140,w,58,fill=LIGHT,sw=1.6,rx=0)
    s.numbadge(x+24,169,str(i+1),r=13)
    s.text(x+46,166,t,size=14.5,bold=True,fill=INK); s.text(x+46,186,sub,size=12,fill=MUTED)
    for j,it in enumerate(items):
        s.rect(x+12,210+j*48,w-24,38,fill=WHITE,sw=1.1,rx=5)
        s.text(x+24,234+j*48,it,size=13)
s.rect(14,566,832,14,fill=LIGHT,sw=1.6,rx=0)
# path
s.text(14,614,"The path",size=16,bold=True,fill=INK)
path=[("First 90 days",["Name a senior owner for AI","Start the AI register","Screen systems in use for high-risk uses","Bring in legal advice"]),
("First year",["Publish a strategy and policy","Set up an ethics panel","Start role-based training","Stage gates and contract terms"]),
("Ongoing",["Review strategy and register yearly","Monitor, audit and review each system","Refresh training after updates","Retire what no longer fits"])]
for i,(t,items) in enumerate(path):
    x=14+i*282; w=262
    s.add(f'<path d="M{x},630 L{x+w},630 L{x+w+16},654 L{x+w},678 L{x},678 L{x+14},654 Z" fill="{INK}" stroke="{INK}" stroke-width="1.4"/>')
    s.text(x+28,660,t,size=15,bold=True,fill=WHITE)
    yy=706
    for it in items:
        s.add(f'<circle cx="{x+10}" cy="{yy-4.5}" r="3" fill="{INK}"/>')
        yy=s.wrap(x+20,yy,it,w-24,size=13,lh=17)+6
s.text(14,846,"Each section gives steps by stage",size=16,bold=True,fill=INK)
st=[("develop","Stage gates with stop criteria; an evaluator who is not a builder"),("procure","Contract terms on tests, updates, logs, audit and exit"),("deploy","A pilot with success and stop criteria; the ten go-live questions")]
for i,(k,t) in enumerate(st):
    x=14+i*282
    s.stage(x,862,k,w=72,h=30)
    s.wrap(x,916,t,262,size=13,lh=17)
s.rect(14,990,832,72,fill=LIGHT,sw=1.2,rx=6)
s.text(28,1016,"Check your progress",size=14,bold=True,fill=INK)
s.wrap(28,1040,"Once a year, the readiness assessment scores the agency on the same three parts. The checklist cards carry the go-live questions and contract terms.",790,size=13,lh=17)
s.save(OUT+'glance-roadmap.svg')

# =============== companion guides ===============
def companion(fn,title,sub,what,whom_main,whom_also,when,agenda,total,before,after,levels,higher,flagtext,order,extra=None,desc=""):
    s=SVG(860,1120,title,desc)
    header(s,title,sub)
    panel(s,14,80,832,124,"What it checks, for whom, when")
    s.wrap(30,134,what,380,size=13,lh=17)
    s.text(440,134,"Who takes part",size=12.5,bold=True,fill=MUTED)
    for i,k in enumerate(ALL):
        s.role(440+i*38,146,k,size=30,filled=k in whom_main)
    s.text(610,134,"When",size=12.5,bold=True,fill=MUTED)
    s.wrap(610,156,when,225,size=12.5,lh=16)
    # meeting
    n=len(agenda); Y=220
    ph=max(200,90+n*19)
    panel(s,14,Y,832,ph,"How the meeting runs")
    bh=ph-60
    box(s,30,Y+44,190,bh,"Before",before,size=12.5)
    box(s,640,Y+44,190,bh,"After",after,size=12.5)
    s.line(222,Y+44+bh/2,236,Y+44+bh/2,arrow=True); s.line(624,Y+44+bh/2,638,Y+44+bh/2,arrow=True)
    s.text(244,Y+60,"The meeting: "+total,size=13.5,bold=True,fill=INK)
    yy=Y+84
    for j,(m,t,badge) in enumerate(agenda):
        brk=(t=="Break")
        s.rect(244,yy-13,4+m*1.5,17,fill=WHITE if brk else LIGHT,sw=1,rx=2,dash="3,2" if brk else None)
        s.text(244+4+m*1.5+5,yy,f"{m}",size=11.5,bold=True,fill=INK)
        tx=370
        if badge:
            for b in badge:
                s.principle(tx+10,yy-4.5,b,r=10); tx+=23
        s.text(tx+2,yy,t,size=12.5,italic=brk)
        yy+=19
    s.text(244,yy+2,"Bars and numbers show minutes.",size=11,fill=MUTED)
    # result
    Y=Y+ph+16
    nrow=(len(order)+1)//2
    rh=290+nrow*44
    panel(s,14,Y,832,rh,"How to read the result")
    s.text(30,Y+56,"Levels",size=13.5,bold=True,fill=INK)
    x=30; W=800; by=Y+66
    shades=["#ffffff","#e6e9f0","#b9c0d0","#1b2a4a"]
    for i,(name,lo,hi,icon) in enumerate(levels):
        w=W*(hi-lo)/100
        s.rect(x,by,w,44,fill=shades[i],sw=1.3,rx=0)
        fg=WHITE if i==3 else TEXT
        tx=x+w/2
        if icon:
            getattr(s,icon)(x+20,by+22,r=12); tx=x+w/2+12
        s.text(tx,by+20,name,size=13.5,bold=True,anchor="middle",fill=fg)
        s.text(tx,by+37,f"{lo} to {hi}",size=11.5,anchor="middle",fill=fg)
        x+=w
    s.text(30,by+62,"Score 0",size=11.5,fill=MUTED); s.text(830,by+62,"100",size=11.5,fill=MUTED,anchor="end")
    s.line(330,by+58,530,by+58,arrow=True)
    s.text(430,by+76,"more risk" if higher=="worse" else "more ready",size=12,anchor="middle",fill=MUTED)
    fy=by+92
    s.rect(30,fy,800,64,fill=LIGHT,stroke="none",rx=6)
    s.text(44,fy+24,"Flags",size=13.5,bold=True,fill=INK)
    s.wrap(110,fy+24,flagtext,700,size=13,lh=17)
    oy=fy+96
    s.text(30,oy,"Read the report in this order",size=13.5,bold=True,fill=INK)
    for i,t in enumerate(order):
        col=0 if i<nrow else 1; row=i if i<nrow else i-nrow
        x=30+col*405; y=oy+34+row*44
        s.numbadge(x+14,y,str(i+1),r=13)
        s.wrap(x+36,y+5,t,360,size=13,lh=17)
    s.resize(int(Y+rh+8))
    s.save(OUT+fn)

companion('glance-readiness.svg',"The readiness assessment at a glance","One half-day workshop scores how ready the whole agency is, and turns the result into a plan.",
 "How ready the whole agency is to develop, buy and use AI: nine dimensions in three families, the same parts as the roadmap.",
 ["senior-manager","innovation-officer","rd-officer","legal-advisor"],[],"Before an AI programme starts, then once a year and after a big change.",
 [(15,"Welcome, purpose, ground rules",None),(15,"How the score works; first results",None),(60,"Culture and infrastructure",None),(15,"Break",None),(60,"People and expertise; process and workflow",None),(30,"Open questions; three 90-day actions",None),(15,"Check answers; owners and dates; close",None)],"3 hours 30 minutes",
 "A team of six to ten people. Each answers alone first; the facilitator collects the answers.",
 "Reports for each person and the group. An action plan with owners and dates. Run it again next year.",
 [("Initial",0,25,None),("Developing",25,50,None),("Established",50,75,None),("Advanced",75,100,None)],"better",
 "If no senior leader owns AI (question RD-LS-01), the level can be no higher than Developing, whatever the score.",
 ["Flags: a capped level needs a decision","The level and what it says to do next","The lowest dimensions, even if the level is good","The weakest questions and their advice","Blanks and \"Not applicable\" answers","Change since last year, dimension by dimension"])

def rai_extra(s):
    pass
companion('glance-responsible-ai.svg',"Responsible AI in action at a glance","One review meeting checks what each role does for the five principles, for one system at its current stage.",
 "One AI system, against the five principles. Each role answers a workbook tailored to its role and the system's stage.",
 ALL,[],"At each stage: once the purpose is agreed, before the tender or contract, before go-live, then yearly.",
 [(10,"Purpose; the system and its stage",None),(10,"How the score works; results by role",None),(25,"Lawfulness, with flagged answers",["lawfulness"]),(20,"Harm and autonomy",["harm","autonomy"]),(10,"Break",None),(20,"Fairness and governance",["fairness","governance"]),(15,"Where roles disagree",None),(10,"Actions, owners, next stage",None)],"2 hours",
 "The system owner invites each role. Each fills in the workbook for their role and stage.",
 "Actions with owners and dates. The report goes to the next stage gate: pilot, contract or go-live.",
 [("At risk",0,40,"stop"),("Emerging",40,60,None),("Established",60,80,None),("Leading",80,100,None)],"better",
 "A sign of a banned practice caps the level at At risk: stop that use and take legal advice. No human review before action caps it at Emerging.",
 ["Flags: stop, or add a real review step","The level and what to do before the next stage","The weakest principle","Answers of \"No\" and blanks, with their advice","Completion: blanks hide what is unknown"])

companion('glance-risk.svg',"The risk assessment at a glance","One meeting profiles one AI use, sets its risk level and the safeguards it needs before anyone relies on it.",
 "One AI use: 71 questions in eight risk and two safeguard dimensions. It screens the use against the AI Act's bans and high-risk list.",
 ["innovation-officer","rd-officer","legal-advisor"],[],"When the use is proposed, again before deployment, after any major change and at each review date.",
 [(10,"Purpose and ground rules",None),(15,"The system and its techniques",None),(30,"Screening: banned and high-risk uses",None),(35,"Data, rights, oversight, need",None),(10,"Break",None),(30,"Safeguards: check the evidence",None),(20,"First result, flags, unknowns, actions",None)],"2 hours 30 minutes",
 "The project owner and a legal advisor lead. Ask the supplier for written evidence; it does not score.",
 "Meet the safeguards the level asks for. The accountable senior manager decides whether to go ahead.",
 [("Low",0,25,None),("Moderate",25,50,None),("High",50,75,"warn"),("Very high",75,100,"stop")],"worse",
 "Safeguards at 80 % or more cut the risk score by 15 %. Flags then set a floor: a possible ban means at least Very high, a high-risk use at least High.",
 ["Flags: Very high means stop and take legal advice","The level sets the minimum safeguards","Risk and mitigation side by side","The riskiest dimensions","Necessity and proportionality","Every \"Not sure\", each with an owner","Completion: blanks push the risk up"])
print("ok")
