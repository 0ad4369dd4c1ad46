import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
OUT=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'sources', 'guides', 'figures') + os.sep
W,H=860,866
s=SVG(W,H,"Timeline of the AI Act and the Law Enforcement Directive, 2018 to 2030",
 "A vertical timeline. On the left: the Law Enforcement Directive has applied since 6 May 2018; the Council of Europe AI Convention opened for signature on 5 September 2024; the AI Act was amended in 2026, proposed on 19 November 2025, agreed on 7 May 2026 and in force since summer 2026; this edition is dated 27 November 2026. On the right, AI Act dates: in force 1 August 2024; bans and AI literacy from 2 February 2025; general-purpose AI rules from 2 August 2025; transparency duties from 2 August 2026; new bans and marking of AI-generated content from 2 December 2026; high-risk duties for Annex III systems, including Articles 9 to 15, 26, 26(10) and 27, from 2 December 2027; high-risk AI in products under Annex I from 2 August 2028; and high-risk systems intended for use by public authorities, placed on the market or put into service before those dates (2 December 2027 for Annex III, 2 August 2028 for Annex I), must comply by 2 August 2030. Dates above the edition line already apply.")
AX=330; Y0=150; PY=92
def Y(t): return Y0+(t-2024)*PY
s.text(14,28,"The law on a timeline",size=19,bold=True,fill=INK)
s.text(14,50,"AI Act on the right, other instruments on the left. Above the dashed line already applies.",size=13.5,fill=MUTED)
s.text(AX+30,80,"EU AI Act",size=14,bold=True,fill=INK)
s.text(AX-30,80,"Other instruments",size=14,bold=True,fill=INK,anchor="end")
nowt=2026+330/365; now=Y(nowt)
s.rect(AX-9,88,18,now-88,fill=LIGHT,stroke="none",rx=0)
# axis with a break between 2018 and 2024
y18=104
s.line(AX,88,AX,y18+18,sw=2.4); s.line(AX,y18+34,AX,Y(2031),sw=2.4)
s.path(f"M{AX-10},{y18+18} L{AX+10},{y18+26}",sw=1.6); s.path(f"M{AX-10},{y18+26} L{AX+10},{y18+34}",sw=1.6)
for yr,y in [(2018,y18)]+[(v,Y(v)) for v in range(2024,2032)]:
    s.line(AX-6,y,AX+6,y,sw=1.4)
    s.text(AX-12 if yr!=2018 else AX-12,y+4.5,"" ,size=1)
    s.text(AX+14,y+4.5,str(yr),size=12,bold=True,fill=MUTED) if False else None
    s.text(AX+12,y+4.5,str(yr),size=12.5,bold=True,fill=MUTED)
s.line(14,now,846,now,sw=1.6,dash="6,4")
s.text(846,now-6,"This edition: 27 November 2026",size=12.5,bold=True,fill=INK,anchor="end")
def dot(y): s.add(f'<circle cx="{AX}" cy="{y:.1f}" r="5.5" fill="{INK}" stroke="{WHITE}" stroke-width="1.5"/>')
CX=AX+96
def right(t,ly,date,body,icon=None):
    y=Y(t); dot(y)
    s.path(f"M{AX+6},{y:.1f} L{AX+50},{y:.1f} L{CX-10},{ly:.1f} L{CX-4},{ly:.1f}",sw=1.2)
    if icon: getattr(s,icon)(CX+12,ly,r=11)
    s.text(CX+32,ly+4.5,date,size=13,bold=True,fill=INK)
    ls=body if isinstance(body,list) else wrap(body,846-(CX+132),13)
    s.lines(CX+132,ly+4.5,ls,size=13,lh=16)
right(2024+213/365,Y(2024+213/365),"1 Aug 2024","The AI Act enters into force")
right(2025+33/365,Y(2025+33/365)+4,"2 Feb 2025","Bans (Art. 5) and AI literacy (Art. 4) apply",icon="stop")
right(2025+213/365,Y(2025+213/365)+10,"2 Aug 2025","Rules for general-purpose AI models",icon="info")
right(2026+213/365,Y(2026+213/365)-12,"2 Aug 2026","Transparency duties (Art. 50)",icon="info")
right(2026+336/365,Y(2026+336/365)+26,"2 Dec 2026","New bans on AI that generates intimate images without consent or child sexual abuse material; marking of AI-made content",icon="stop")
right(2027+336/365,Y(2027+336/365),"2 Dec 2027","High-risk duties for Annex III systems, such as police and biometric uses: Arts. 9 to 15, 26, 26(10) and 27",icon="warn")
right(2028+213/365,Y(2028+213/365)+10,"2 Aug 2028","High-risk duties for AI in products (Annex I)",icon="warn")
right(2030+213/365,Y(2030+213/365),"2 Aug 2030",["High-risk systems for public authorities,","on the market or in service before","2 Dec 2027 (Annex III) or 2 Aug 2028","(Annex I), must comply (Art. 111(2))"],icon="warn")
def left(y,ly,date,body):
    dot(y)
    s.path(f"M{AX-6},{y:.1f} L{AX-40},{y:.1f} L{AX-56},{ly:.1f} L{AX-62},{ly:.1f}",sw=1.2)
    s.text(AX-70,ly+4.5,date,size=13,bold=True,fill=INK,anchor="end")
    s.lines(AX-70,ly+22,wrap(body,240,12.5),size=12.5,lh=15.5,anchor="end")
left(y18,y18,"6 May 2018","Law Enforcement Directive applies")
left(Y(2024+248/365),Y(2024+248/365)+6,"5 Sep 2024","Council of Europe AI Convention opens for signature")
y1,y2=Y(2025+323/365),Y(2026+170/365)
s.path(f"M{AX-8},{y1:.1f} L{AX-18},{y1:.1f} L{AX-18},{y2:.1f} L{AX-8},{y2:.1f}",sw=1.4)
s.line(AX-18,(y1+y2)/2,AX-62,(y1+y2)/2,sw=1.2)
s.text(AX-70,(y1+y2)/2-22,"2026 amendment of the AI Act",size=13,bold=True,fill=INK,anchor="end")
s.lines(AX-70,(y1+y2)/2-4,["Proposed 19 Nov 2025, agreed","7 May 2026, approved June 2026,","in force since summer 2026"],size=12.5,lh=15.5,anchor="end")
ly=H-16
s.stop(560,ly-4,r=10); s.text(576,ly,"ban",size=12)
s.warn(622,ly-4,r=10); s.text(640,ly,"high-risk",size=12)
s.info(722,ly-4,r=10); s.text(738,ly,"other duties",size=12)
s.save(OUT+'law-timeline.svg')
print(Y(2031))
