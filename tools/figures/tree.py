import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
OUT=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'sources', 'guides', 'figures') + os.sep
s=SVG(860,1030,"Screening an AI use under the EU AI Act: banned, high-risk or other duties",
 "A decision tree with two questions. Question 1: is the use a practice banned by Article 5? The police-relevant bans are 5(1)(d) predicting crime solely from profiling, except support for a human assessment based on facts; 5(1)(e) untargeted scraping of face images, with no exception; 5(1)(f) emotion recognition at work or in education, except for medical or safety reasons; 5(1)(g) inferring sensitive traits from biometric data, except labelling lawful datasets and categorising in law enforcement; 5(1)(h) live remote biometric identification in public for law enforcement, except in three narrow cases with prior authorisation; and from 2 December 2026 generating intimate images without consent or child sexual abuse material. If yes: stop and take legal advice. If no, question 2: is it high-risk under Annex III, point 1 biometrics, 6 law enforcement, 7 migration and border control, or 8 justice? If yes: from 2 December 2027 the provider meets Articles 9 to 15, the agency as deployer meets Article 26, a public body carries out a fundamental rights impact assessment under Article 27, and post-remote biometric identification needs authorisation under Article 26(10). High-risk systems intended for public authorities that were placed on the market or put into service before 2 December 2027 must comply by 2 August 2030 (Article 111(2)). If no: other duties still apply, such as Article 50 transparency, Article 4 AI literacy and a data protection impact assessment under Article 27 of the Law Enforcement Directive.")
s.text(14,28,"Screening an AI use under the EU AI Act",size=19,bold=True,fill=INK)
s.text(14,50,"Ask the two questions in order. Your legal advisor makes the final call.",size=13.5,fill=MUTED)
# start
s.rect(170,66,260,34,fill=LIGHT,rx=17)
s.text(300,88,"A planned or current AI use",size=13.5,bold=True,anchor="middle",fill=INK)
s.line(300,100,300,116,arrow=True)
LX,LW=14,566; RX,RW=616,230
def item(y,code,text,exc,w=LW-110):
    s.text(LX+14,y,code,size=14,bold=True,fill=INK)
    y2=s.wrap(LX+96,y,text,w,size=14,lh=17.5)
    if exc:
        y2=s.wrap(LX+96,y2,exc,w,size=13,lh=16.5,fill=MUTED,italic=True)
    return y2+5
# Q1
y=118
top=y
ys=y+26
s.numbadge(LX+24,ys-5,"1",r=13)
s.text(LX+46,ys,"Is it a banned practice? (Article 5)",size=15,bold=True,fill=INK)
yy=ys+26
yy=item(yy,"5(1)(d)","Predicting that a person will commit a crime, based solely on profiling or personality traits","Not banned: tools that support a human assessment based on objective, verifiable facts")
yy=item(yy,"5(1)(e)","Building or expanding face databases by untargeted scraping of the internet or CCTV","No exception")
yy=item(yy,"5(1)(f)","Recognising emotions at work or in education, for example of the agency's own staff","Except for medical or safety reasons")
yy=item(yy,"5(1)(g)","Inferring race, political views, union membership, beliefs, sex life or sexual orientation from biometric data","Not banned: labelling or filtering lawful datasets, and categorising biometric data in law enforcement")
yy=item(yy,"5(1)(h)","Real-time remote biometric identification, such as live facial recognition, in public spaces for law enforcement","Only to find victims or missing persons, stop an imminent threat to life or a terror attack, or find a suspect of a serious crime; each use needs prior authorisation")
yy=item(yy,"New","From 2 December 2026: AI that generates intimate images without consent, or child sexual abuse material","")
q1h=yy-top+4
s.add(f'<rect x="{LX}" y="{top}" width="{LW}" height="{q1h}" rx="8" fill="none" stroke="{INK}" stroke-width="1.8"/>')
# stop box
sy=top+40
mark=len(s.o); s.add("")
s.stop(RX+32,sy+34,r=20)
s.text(RX+62,sy+40,"Banned: stop",size=16,bold=True,fill=INK)
y3=s.wrap(RX+12,sy+80,"Do not build, buy or use it. Take legal advice.",RW-24,size=14,lh=17.5,bold=True)
y3=s.wrap(RX+12,y3+6,"For (h), only inside an exception: national law, prior authorisation by a judge or an independent authority for each use, an impact assessment and notice to the authorities.",RW-24,size=13,lh=16.5)
y3=s.wrap(RX+12,y3+6,"Fines up to EUR 35 million or 7 % of turnover (Art. 99).",RW-24,size=13,lh=16.5,fill=MUTED)
s.o[mark]=f'<rect x="{RX}" y="{sy}" width="{RW}" height="{y3-sy+4:.1f}" rx="8" fill="{WHITE}" stroke="{INK}" stroke-width="1.8"/>'
s.line(LX+LW,sy+34,RX-2,sy+34,arrow=True)
s.text((LX+LW+RX)/2,sy+27,"Yes",size=13,bold=True,anchor="middle",fill=INK)
# No arrow
y=top+q1h
s.line(300,y,300,y+30,arrow=True); s.text(310,y+20,"No",size=13,bold=True,fill=INK)
# Q2
top=y+32
ys=top+26
s.numbadge(LX+24,ys-5,"2",r=13)
s.text(LX+46,ys,"Is it high-risk? (Annex III)",size=15,bold=True,fill=INK)
yy=ys+26
yy=item(yy,"Point 1","Biometrics: remote identification (not one-to-one verification), categorisation by sensitive traits, emotion recognition","")
yy=item(yy,"Point 6","Law enforcement: (a) risk of becoming a victim, (b) polygraphs and similar tools, (c) reliability of evidence, (d) risk of offending, where not solely profiling, (e) profiling in detection, investigation or prosecution","")
yy=item(yy,"Point 7","Migration, asylum and border control","")
yy=item(yy,"Point 8","Administration of justice","")
q2h=yy-top+4
s.add(f'<rect x="{LX}" y="{top}" width="{LW}" height="{q2h}" rx="8" fill="none" stroke="{INK}" stroke-width="1.8"/>')
# high-risk box
hy=top
mark=len(s.o); s.add("")
s.warn(RX+32,hy+36,r=19)
s.text(RX+62,hy+42,"High-risk",size=16,bold=True,fill=INK)
y3=s.wrap(RX+12,hy+80,"From 2 December 2027:",RW-24,size=14,bold=True,lh=17.5)
for head,body in [("Provider:","Arts. 9 to 15, from risk management to accuracy"),("Your agency:","Art. 26, use as instructed, trained overseers, monitoring, logs"),("Public body:","Art. 27, rights impact assessment before first use"),("Post-remote biometric ID:","Art. 26(10), authorisation before use or within 48 hours"),("Already in use:","for public authorities, systems on the market or in service before 2 December 2027 comply by 2 August 2030 (Art. 111(2))")]:
    y3=s.wrap(RX+12,y3+5,head,RW-24,size=13,bold=True,lh=16.5,fill=INK)
    y3=s.wrap(RX+12,y3,body,RW-24,size=13,lh=16.5)
hh=y3-hy+8
s.o[mark]=f'<rect x="{RX}" y="{hy}" width="{RW}" height="{hh:.1f}" rx="8" fill="{WHITE}" stroke="{INK}" stroke-width="1.8"/>'
s.line(LX+LW,top+34,RX-2,top+34,arrow=True)
s.text((LX+LW+RX)/2,top+27,"Yes",size=13,bold=True,anchor="middle",fill=INK)
# No arrow
y=top+q2h
s.line(300,y,300,y+30,arrow=True); s.text(310,y+20,"No",size=13,bold=True,fill=INK)
# other duties
top=y+32
mark=len(s.o); s.add("")
s.info(LX+32,top+34,r=18)
s.text(LX+62,top+40,"Other duties still apply",size=15,bold=True,fill=INK)
yy=top+70
yy=item(yy,"Art. 50","Transparency, from 2 August 2026: tell people they are dealing with AI; disclose deepfakes","",w=LW-110)
yy=item(yy,"Art. 4","AI literacy, since 2 February 2025: take measures to support staff in understanding the tools","",w=LW-110)
yy=item(yy,"LED","Data protection: a DPIA where the risk to rights is high (Art. 27 of the Law Enforcement Directive)","",w=LW-110)
s.o[mark]=f'<rect x="{LX}" y="{top}" width="{LW}" height="{yy-top+4:.1f}" rx="8" fill="{WHITE}" stroke="{INK}" stroke-width="1.8"/>'

# footer band
fy=max(yy+18,hy+hh+14)
s.rect(LX,fy,832,60,fill=LIGHT,sw=1.2,rx=6)
s.text(LX+14,fy+24,"On every path",size=14,bold=True,fill=INK)
s.wrap(LX+140,fy+24,"Data protection and human rights law still apply. Write down the answer and why, and screen again when the use changes.",680,size=14,lh=18)
s.resize(int(fy+66))
print(fy+66)
s.save(OUT+'screening-tree.svg')
