# The drawing scripts of the figures in sources/guides/figures (run from anywhere:
# python3 tools/figures/map.py, tree.py, timeline.py, glance.py). The SVGs they write are
# committed; edit a script and rerun it to change a figure.
# Shared drawing helpers for the toolkit's visual system (Okabe-Ito palette).
from xml.sax.saxutils import escape
INK="#1b2a4a"; TEXT="#1a1a1a"; MUTED="#444444"; LIGHT="#e6e9f0"; WHITE="#ffffff"
OI={"orange":"#E69F00","sky":"#56B4E9","green":"#009E73","yellow":"#F0E442","blue":"#0072B2","vermillion":"#D55E00","purple":"#CC79A7","black":"#000000"}
PRINCIPLES=[("lawfulness","L","Lawfulness",OI["blue"]),("harm","H","Minimisation of harm",OI["vermillion"]),
 ("autonomy","A","Human autonomy",OI["green"]),("fairness","F","Fairness",OI["purple"]),("governance","G","Good governance",OI["orange"])]
ROLES=[("senior-manager","SM","Senior managers",OI["blue"]),("innovation-officer","IO","Innovation officers",OI["orange"]),
 ("rd-officer","RD","R&D officers",OI["green"]),("legal-advisor","LA","Legal advisors",OI["purple"])]
STAGES=[("develop","DEV","Develop",OI["sky"]),("procure","PRO","Procure",OI["yellow"]),("deploy","DEP","Deploy",OI["vermillion"])]
P={k:(l,n,c) for k,l,n,c in PRINCIPLES}; R={k:(l,n,c) for k,l,n,c in ROLES}; S={k:(l,n,c) for k,l,n,c in STAGES}
DASH=' stroke-dasharray="3,2"'
def on(c): return WHITE if c in (OI["blue"],) else TEXT
class SVG:
    def __init__(s,w,h,title,desc):
        s.w,s.h=w,h; s.o=[f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="Noto Sans" font-size="13">',
        f'<title>{escape(title)}</title>',f'<desc>{escape(desc)}</desc>',
        f'<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{INK}"/></marker></defs>']
    def add(s,x): s.o.append(x)
    def resize(s,h):
        s.o[0]=s.o[0].replace(f'height="{s.h}" viewBox="0 0 {s.w} {s.h}"',f'height="{h}" viewBox="0 0 {s.w} {h}"'); s.h=h
    def save(s,path):
        s.o.append('</svg>'); open(path,'w').write('\n'.join(s.o)+'\n')
    def text(s,x,y,t,size=13,bold=False,anchor="start",fill=TEXT,italic=False):
        a=f' text-anchor="{anchor}"' if anchor!="start" else ''
        b=' font-weight="bold"' if bold else ''
        i=' font-style="italic"' if italic else ''
        s.add(f'<text x="{x:.1f}" y="{y:.1f}"{a} font-size="{size}"{b}{i} fill="{fill}">{escape(t)}</text>')
    def lines(s,x,y,ls,size=13,lh=None,**k):
        lh=lh or size*1.3
        for i,t in enumerate(ls): s.text(x,y+i*lh,t,size=size,**k)
        return y+len(ls)*lh
    def wrap(s,x,y,t,width,size=13,lh=None,**k):
        return s.lines(x,y,wrap(t,width,size),size=size,lh=lh,**k)
    def rect(s,x,y,w,h,fill=WHITE,stroke=INK,sw=1.4,rx=6,dash=None):
        d=f' stroke-dasharray="{dash}"' if dash else ''
        s.add(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="{rx}" fill="{fill}" stroke="{stroke}" stroke-width="{sw}"{d}/>')
    def line(s,x1,y1,x2,y2,sw=1.6,arrow=False,stroke=INK,dash=None):
        m=' marker-end="url(#arrow)"' if arrow else ''
        d=f' stroke-dasharray="{dash}"' if dash else ''
        s.add(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{stroke}" stroke-width="{sw}"{m}{d}/>')
    def path(s,d,fill="none",stroke=INK,sw=1.6,arrow=False):
        m=' marker-end="url(#arrow)"' if arrow else ''
        s.add(f'<path d="{d}" fill="{fill}" stroke="{stroke}" stroke-width="{sw}"{m}/>')
    # --- the visual key ---
    def principle(s,cx,cy,key,r=15,filled=True):
        l,n,c=P[key]
        s.add(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r}" fill="{c if filled else WHITE}" stroke="{INK}" stroke-width="1.4"/>')
        s.text(cx,cy+r*0.42,l,size=r*1.15,bold=True,anchor="middle",fill=on(c) if filled else INK)
    def role(s,x,y,key,size=28,filled=True):
        l,n,c=R[key]
        s.rect(x,y,size,size,fill=c if filled else WHITE,stroke=INK,sw=1.4,rx=4,dash=None if filled else "3,2")
        s.text(x+size/2,y+size*0.66,l,size=size*0.44,bold=True,anchor="middle",fill=on(c) if filled else INK)
    def stage(s,x,y,key,w=62,h=26,filled=True,label=None):
        l,n,c=S[key]; t=h/2; p=9
        s.add(f'<path d="M{x},{y} L{x+w-p},{y} L{x+w},{y+t} L{x+w-p},{y+h} L{x},{y+h} L{x+p},{y+t} Z" fill="{c if filled else WHITE}" stroke="{INK}" stroke-width="1.4"{DASH if not filled else ""}/>')
        s.text(x+w/2+2,y+h*0.68,label or l,size=h*0.46,bold=True,anchor="middle",fill=on(c) if filled else INK)
    def numbadge(s,cx,cy,t,r=15,fill=INK,fg=WHITE):
        s.add(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r}" fill="{fill}" stroke="{INK}" stroke-width="1.4"/>')
        s.text(cx,cy+r*0.4,t,size=r*1.1,bold=True,anchor="middle",fill=fg)
    def stop(s,cx,cy,r=20):
        import math
        pts=" ".join(f"{cx+r*math.cos(math.radians(22.5+45*i)):.1f},{cy+r*math.sin(math.radians(22.5+45*i)):.1f}" for i in range(8))
        s.add(f'<polygon points="{pts}" fill="{OI["vermillion"]}" stroke="{INK}" stroke-width="1.4"/>')
        s.text(cx,cy+r*0.2,"STOP",size=r*0.5,bold=True,anchor="middle",fill=TEXT)
    def warn(s,cx,cy,r=20):
        s.add(f'<polygon points="{cx},{cy-r} {cx+r*1.05},{cy+r*0.8} {cx-r*1.05},{cy+r*0.8}" fill="{OI["orange"]}" stroke="{INK}" stroke-width="1.4" stroke-linejoin="round"/>')
        s.text(cx,cy+r*0.62,"!",size=r*1.1,bold=True,anchor="middle",fill=TEXT)
    def info(s,cx,cy,r=20):
        s.add(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="{OI["sky"]}" stroke="{INK}" stroke-width="1.4"/>')
        s.text(cx,cy+r*0.4,"i",size=r*1.15,bold=True,anchor="middle",fill=TEXT)
def textwidth(t,size,bold=False):
    w=0
    for ch in t:
        if ch in "il.,:;'|!()[] ": w+=0.28
        elif ch in "mwMW": w+=0.85
        elif ch.isupper() or ch.isdigit(): w+=0.64
        else: w+=0.54
    return w*size*(1.06 if bold else 1.0)
def wrap(t,width,size,bold=False):
    out=[];cur=""
    for word in t.split():
        c=(cur+" "+word).strip()
        if textwidth(c,size,bold)<=width or not cur: cur=c
        else: out.append(cur); cur=word
    if cur: out.append(cur)
    return out
